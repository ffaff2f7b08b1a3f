# Sourced by build.sh and fuzz.sh: compile through ccache when it is installed (scripts/setup.sh
# installs it), so CI's fresh clone and every later build reuse objects from earlier builds.
# Paths under the checkout are hashed relative to it (CCACHE_BASEDIR, no working directory in the
# hash), so a clone in another folder hits the same cache entries.
ccache_cmake_args=()
if command -v ccache >/dev/null 2>&1; then
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$root}"
  export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
  export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-8G}"
  ccache_cmake_args=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
else
  echo "$(basename "$0"): ccache not found; building without a compiler cache" >&2
fi
