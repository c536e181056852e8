--mode native --trace -
# line 4 has no size
