// Private to CScanKernels: what the AVX2 loops of the kernels share.
#ifndef CSCANKERNELS_CPU_FEATURES_H
#define CSCANKERNELS_CPU_FEATURES_H

/// The target the AVX2 loops are compiled for.
#define CS_AVX2 __attribute__((target("avx2,bmi,bmi2,popcnt")))

/// 1 when this processor runs `CS_AVX2` code (AVX2 and BMI2), 0 otherwise (and on other architectures).
int cs_cpu_has_avx2(void);

#endif
