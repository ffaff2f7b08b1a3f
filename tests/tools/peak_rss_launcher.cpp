// peak_rss_launcher REPORT PROGRAM [ARGS...]: runs PROGRAM and writes "<exit code> <signal> <peak
// RSS KiB>" to REPORT when it ends.
//
// Why a launcher: Linux counts the pages a forked child shares with its parent into the child's
// ru_maxrss, and keeps that figure across exec. A test process that has grown to 250 MiB would
// see every program it forks "peak" at 250 MiB. Forked from this small process instead, the
// program's ru_maxrss is its own.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: peak_rss_launcher REPORT PROGRAM [ARGS...]\n");
    return 2;
  }
  pid_t pid = fork();
  if (pid < 0) return 126;
  if (pid == 0) {
    execv(argv[2], argv + 2);
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  while (wait4(pid, &status, 0, &usage) < 0)
    if (errno != EINTR) return 126;
  FILE* report = std::fopen(argv[1], "w");
  if (!report) return 126;
  std::fprintf(report, "%d %d %ld\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1,
               WIFSIGNALED(status) ? WTERMSIG(status) : 0, usage.ru_maxrss);
  return std::fclose(report) == 0 ? 0 : 126;
}
