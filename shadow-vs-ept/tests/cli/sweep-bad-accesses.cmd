sweep crossover --accesses 12x
# --accesses takes a plain decimal count, 1000 or more
