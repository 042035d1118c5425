/* exit_code: exits with the status given as argv[1] (taken modulo 256 by the
 * kernel). argv[2], if present, picks how: "return" (default), "exit" or
 * "_exit". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int code = argc > 1 ? atoi(argv[1]) : 0;
    const char *how = argc > 2 ? argv[2] : "return";
    printf("exiting with %d via %s\n", code, how);
    if (strcmp(how, "exit") == 0)
        exit(code);
    if (strcmp(how, "_exit") == 0) {
        fflush(stdout);
        _exit(code);
    }
    return code;
}
