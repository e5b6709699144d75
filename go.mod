module copslab

go 1.26
