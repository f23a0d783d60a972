module github.com/valuegraph/valuegraph

go 1.26.8
