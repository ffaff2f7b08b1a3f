// Writes the extra seed files of fuzz/h5_fuzzer (beside the fixtures, which are all superblock 0):
// the same sample in the default format, the newest format (superblock 3, version 2 object
// headers, compact groups) and behind a user block. Build and run in this directory:
//   gcc make_seeds.c -I/usr/include/hdf5/serial -L/usr/lib/x86_64-linux-gnu/hdf5/serial -lhdf5 &&
//   ./a.out
#include <hdf5.h>
#include <string.h>
static void arr(hid_t loc, const char* n, hid_t ft, hid_t mt, int r, hsize_t* d, const void* data,
                hid_t dcpl) {
  hid_t s = r ? H5Screate_simple(r, d, NULL) : H5Screate(H5S_SCALAR);
  hid_t ds = H5Dcreate2(loc, n, ft, s, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  if (data) H5Dwrite(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
  H5Dclose(ds);
  H5Sclose(s);
}
static void sattr(hid_t o, const char* n, const char* v, size_t fixed) {
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, fixed ? fixed : H5T_VARIABLE);
  hid_t s = H5Screate(H5S_SCALAR);
  hid_t a = H5Acreate2(o, n, t, s, H5P_DEFAULT, H5P_DEFAULT);
  if (fixed) {
    char b[64] = {0};
    strncpy(b, v, fixed);
    H5Awrite(a, t, b);
  } else
    H5Awrite(a, t, &v);
  H5Aclose(a);
  H5Sclose(s);
  H5Tclose(t);
}
static void sample(const char* path, hid_t fcpl, hid_t fapl) {
  hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, fcpl, fapl);
  hid_t l = H5Gcreate2(f, "layers", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  hid_t v = H5Gcreate2(l, "vars", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  sattr(v, "name", "dense", 0);
  sattr(v, "fixed", "abc", 8);
  float x[12];
  for (int i = 0; i < 12; i++) x[i] = i * 0.5f;
  double y[3] = {1, 2, 3};
  int z[3] = {1, -2, 3};
  long long s = -7;
  hsize_t d2[2] = {3, 4}, d1[1] = {3}, d0[2] = {0, 5};
  arr(v, "0", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, 2, d2, x, H5P_DEFAULT);
  arr(v, "1", H5T_IEEE_F64BE, H5T_NATIVE_DOUBLE, 1, d1, y, H5P_DEFAULT);
  arr(v, "2", H5T_STD_I32BE, H5T_NATIVE_INT, 1, d1, z, H5P_DEFAULT);
  arr(v, "3", H5T_STD_I64LE, H5T_NATIVE_LLONG, 0, NULL, &s, H5P_DEFAULT);
  arr(v, "4", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, 2, d0, NULL, H5P_DEFAULT);
  hid_t c = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_layout(c, H5D_COMPACT);
  short q[4] = {1, 2, 3, 4};
  hsize_t dq[1] = {4};
  arr(v, "5", H5T_STD_I16LE, H5T_NATIVE_SHORT, 1, dq, q, c);
  H5Pclose(c);
  c = H5Pcreate(H5P_DATASET_CREATE);
  float fill = 2.5f;
  H5Pset_fill_value(c, H5T_NATIVE_FLOAT, &fill);
  H5Pset_alloc_time(c, H5D_ALLOC_TIME_LATE);
  arr(v, "6", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, 1, d1, NULL, c);
  H5Pclose(c);
  hid_t e = H5Tenum_create(H5T_NATIVE_INT8);
  signed char fv = 0, tv = 1;
  H5Tenum_insert(e, "FALSE", &fv);
  H5Tenum_insert(e, "TRUE", &tv);
  signed char bb[3] = {1, 0, 1};
  arr(v, "7", e, e, 1, d1, bb, H5P_DEFAULT);
  H5Tclose(e);
  H5Lcreate_soft("/layers/vars/0", l, "soft", H5P_DEFAULT, H5P_DEFAULT);
  H5Gclose(v);
  H5Gclose(l);
  H5Fclose(f);
}
int main() {
  sample("v0.h5", H5P_DEFAULT, H5P_DEFAULT);
  hid_t fa = H5Pcreate(H5P_FILE_ACCESS);
  H5Pset_libver_bounds(fa, H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
  sample("latest.h5", H5P_DEFAULT, fa);
  hid_t fc = H5Pcreate(H5P_FILE_CREATE);
  H5Pset_userblock(fc, 512);
  sample("userblock.h5", fc, H5P_DEFAULT);
  return 0;
}
