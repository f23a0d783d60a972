package resolvers

import "testing"

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"":                       false,
		"gzip":                   true,
		"GZip":                   true,
		"br, gzip;q=0.5":         true,
		"deflate, gzip ; q=1.0":  true,
		"gzip;q=0":               false,
		"gzip;q=0.000, deflate":  false,
		"identity":               false,
		"x-gzip-but-not-really":  false,
		"deflate, br;q=1, *;q=0": false,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}
