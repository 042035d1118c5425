/* argv_env: command-line arguments and environment variables.
 * argv[0] is printed as its basename only so that the output does not depend
 * on how the runner spells the path of the binary. Only named variables are
 * printed, never the whole environment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void show_var(const char *name)
{
    const char *v = getenv(name);
    if (v)
        printf("env %s=\"%s\"\n", name, v);
    else
        printf("env %s is unset\n", name);
}

int main(int argc, char **argv)
{
    const char *base = argv[0] ? strrchr(argv[0], '/') : NULL;
    base = base ? base + 1 : (argv[0] ? argv[0] : "(null)");

    printf("argc=%d\n", argc);
    printf("argv[0] basename=%s\n", base);
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=\"%s\" (len %zu)\n", i, argv[i], strlen(argv[i]));
    printf("argv[argc] is %s\n", argv[argc] == NULL ? "NULL" : "not NULL");

    show_var("TSQEMU_TEST_VAR");
    show_var("TSQEMU_UNSET_VAR");

    /* setenv/unsetenv operate on the in-process copy */
    setenv("TSQEMU_NEW", "hello", 1);
    show_var("TSQEMU_NEW");
    unsetenv("TSQEMU_NEW");
    show_var("TSQEMU_NEW");

    const char *v = getenv("TSQEMU_TEST_VAR");
    return v ? atoi(v) % 7 : 0; /* 42 % 7 == 0 */
}
