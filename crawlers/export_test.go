package crawlers_test

import "github.com/valuegraph/valuegraph/graph"

var graphNeighbourhoodAll = graph.NeighbourhoodOptions{Limit: 50}
