package ingest

import (
	"bytes"
	"io"
)

// lineReader counts lines as a JSON decoder reads, so that a decoder offset
// can be turned into a line number for error messages. It keeps only the
// last few chunks it read (the decoder's buffer never lags further behind),
// so memory stays flat on files of any size.
type lineReader struct {
	r      io.Reader
	chunks []chunk // newest last
	offset int64   // bytes read so far
	lines  int     // newlines read so far
}

type chunk struct {
	start int64
	lines int // newlines before this chunk
	data  []byte
}

const keptChunks = 8

func newLineReader(r io.Reader) *lineReader { return &lineReader{r: r} }

func (l *lineReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	if n > 0 {
		c := chunk{start: l.offset, lines: l.lines, data: append([]byte(nil), p[:n]...)}
		if len(l.chunks) == keptChunks {
			copy(l.chunks, l.chunks[1:])
			l.chunks = l.chunks[:keptChunks-1]
		}
		l.chunks = append(l.chunks, c)
		l.offset += int64(n)
		l.lines += bytes.Count(p[:n], []byte{'\n'})
	}
	return n, err
}

// line returns the 1-based line where the next value after offset starts
// (separators and whitespace skipped), or 0 when it is older than what is
// kept.
func (l *lineReader) line(offset int64) int {
	for _, c := range l.chunks {
		for offset >= c.start && offset < c.start+int64(len(c.data)) && bytes.IndexByte([]byte(",: \t\r\n"), c.data[offset-c.start]) >= 0 {
			offset++
		}
	}
	for _, c := range l.chunks {
		if offset >= c.start && offset <= c.start+int64(len(c.data)) {
			return c.lines + bytes.Count(c.data[:offset-c.start], []byte{'\n'}) + 1
		}
	}
	if offset >= l.offset {
		return l.lines + 1
	}
	return 0
}
