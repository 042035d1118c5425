/* A little stack-machine interpreter running a nested counting loop: the switch dispatch
 * of an interpreter loop, i.e. indirect branches through a jump table. */
#include "common.h"

enum op { PUSH, LOAD, STORE, ADD, SUB, MUL, AND, XOR, LT, JNZ, JMP, HALT };

static int32_t run(const int32_t *code, int32_t *vars) {
    int32_t stack[64];
    int sp = 0, pc = 0;
    for (;;) {
        int32_t a, b;
        switch (code[pc++]) {
        case PUSH: stack[sp++] = code[pc++]; break;
        case LOAD: stack[sp++] = vars[code[pc++]]; break;
        case STORE: vars[code[pc++]] = stack[--sp]; break;
        case ADD: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a + b; break;
        case SUB: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a - b; break;
        case MUL: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a * b; break;
        case AND: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a & b; break;
        case XOR: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a ^ b; break;
        case LT: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a < b; break;
        case JNZ: a = stack[--sp]; if (a) pc = code[pc]; else pc++; break;
        case JMP: pc = code[pc]; break;
        case HALT: return vars[1];
        }
    }
}

int main(int argc, char **argv) {
    int n = bench_scale(argc, argv, 6000000);
    /* vars: 0 = i, 1 = acc, 2 = n
     * i = 0; acc = 1; loop: acc = (acc * 31 + i) ^ (i & 255); i = i + 1; if (i < n) goto loop */
    const int32_t code[] = {
        PUSH, 0, STORE, 0, PUSH, 1, STORE, 1,
        /* 8: */ LOAD, 1, PUSH, 31, MUL, LOAD, 0, ADD, LOAD, 0, PUSH, 255, AND, XOR, STORE, 1,
        LOAD, 0, PUSH, 1, ADD, STORE, 0, LOAD, 0, LOAD, 2, LT, JNZ, 8, HALT,
    };
    int32_t vars[3] = {0, 0, n};
    printf("bytecode loop of %d: %08x\n", n, (uint32_t)run(code, vars));
    return 0;
}
