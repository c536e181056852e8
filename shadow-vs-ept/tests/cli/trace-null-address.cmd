--mode native --trace -
# the lackey sentinel line is 0, outside the user half
