#include "chuan.h"
int main(int argc, char **argv) { return chuan_main(argc, (const char **)argv, stdout, stderr); }
