import Engine
print("engine benchmark: BLAS threads \(BLAS.threads)")
