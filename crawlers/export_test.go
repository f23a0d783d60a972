package crawlers_test

import (
	"time"

	"github.com/valuegraph/valuegraph/graph"
)

var cst = time.FixedZone("CST", 8*3600)

var graphNeighbourhoodAll = graph.NeighbourhoodOptions{Limit: 50}
