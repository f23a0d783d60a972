package ingest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"

	"github.com/valuegraph/valuegraph"
)

// sniffSize is how much of a file the encoding is decided on.
const sniffSize = 64 << 10

// declaredRe finds a charset a document declares: an HTML meta tag
// (<meta charset="gbk">, content="text/html; charset=gb2312") or an XML
// declaration (encoding="ISO-8859-1").
var declaredRe = regexp.MustCompile(`(?i)(?:<meta[^>]+charset\s*=\s*["']?|<\?xml[^>]+encoding\s*=\s*["'])([A-Za-z0-9_\-]+)`)

// Decode returns r's text as UTF-8, and the name of the encoding it was
// read in. Parsers only ever see UTF-8: a byte-order mark (UTF-8, UTF-16)
// decides first; then text that is valid UTF-8 is read as it is; then the
// charset the document declares (an HTML meta tag, an XML declaration);
// then, for undeclared legacy text, GB18030 (a superset of GBK and GB2312)
// when it decodes cleanly into Chinese text, else Windows-1252 (a superset
// of the printable ISO-8859-1). Text that claims UTF-8 and stops being valid
// further on ends with an EINVALID error at its byte offset rather than
// being stored with replacement characters; in legacy text, a sequence that
// is no character of its encoding is dropped.
func Decode(r io.Reader, file string) (io.Reader, string, error) {
	br := bufio.NewReaderSize(r, sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, "", err
	}
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return nil, "", &valuegraph.Error{Code: valuegraph.EINVALID, File: file,
			Message: "a ZIP archive (an Excel .xlsx workbook?), not text: save the sheet as CSV"}
	case bytes.HasPrefix(head, []byte("%PDF")):
		return nil, "", &valuegraph.Error{Code: valuegraph.EINVALID, File: file, Message: "a PDF document, not text"}
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		br.Discard(3)
		return &utf8Reader{r: br, file: file, offset: 3}, "utf-8", nil
	case bytes.HasPrefix(head, []byte("\xff\xfe")), bytes.HasPrefix(head, []byte("\xfe\xff")):
		dec := xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder()
		return transform.NewReader(br, dec), "utf-16", nil
	}
	if validPrefix(head, len(head) < sniffSize) {
		return &utf8Reader{r: br, file: file}, "utf-8", nil
	}
	if m := declaredRe.FindSubmatch(head); m != nil {
		if enc, name := charset.Lookup(string(m[1])); enc != nil && name != "utf-8" {
			return legacy(br, enc), name, nil
		}
	}
	enc, name := guessLegacy(head)
	return legacy(br, enc), name, nil
}

// legacy decodes r from enc. A byte sequence that is no character in enc
// (a page cut in the middle of one) is dropped rather than kept as U+FFFD.
func legacy(r io.Reader, enc encoding.Encoding) io.Reader {
	drop := runes.Remove(runes.Predicate(func(r rune) bool { return r == utf8.RuneError }))
	return transform.NewReader(r, transform.Chain(enc.NewDecoder(), drop))
}

// validPrefix reports whether b is valid UTF-8, allowing a rune cut off at
// its end when b is only the start of the text.
func validPrefix(b []byte, whole bool) bool {
	if utf8.Valid(b) {
		return true
	}
	if whole {
		return false
	}
	for cut := 1; cut < utf8.UTFMax && cut <= len(b); cut++ {
		if utf8.Valid(b[:len(b)-cut]) {
			return !utf8.FullRune(b[len(b)-cut:])
		}
	}
	return false
}

// guessLegacy tells GB18030 from Windows-1252 on text that is not UTF-8: as
// GB18030, Chinese text decodes without a single invalid sequence into
// mostly Han characters and CJK punctuation; Latin-1 text does not.
func guessLegacy(head []byte) (encoding.Encoding, string) {
	s, err := simplifiedchinese.GB18030.NewDecoder().String(string(head))
	if err == nil {
		han, other := 0, 0
		for _, r := range strings.TrimRight(s, "\ufffd") {
			switch {
			case r < utf8.RuneSelf:
			case r == utf8.RuneError:
				other += 10
			case unicode.Is(unicode.Han, r), r >= 0x3000 && r <= 0x303f, r >= 0xff00 && r <= 0xffef:
				han++
			default:
				other++
			}
		}
		if han > 0 && han >= 4*other {
			return simplifiedchinese.GB18030, "gb18030"
		}
	}
	return charmap.Windows1252, "windows-1252"
}

// utf8Reader passes valid UTF-8 through and fails at the first invalid
// sequence, naming its byte offset. Bytes pass as they are read; a rune cut
// by the end of one read is checked when the next completes it.
type utf8Reader struct {
	r       io.Reader
	file    string
	offset  int64  // bytes passed before this read
	pending []byte // the start of a rune cut by the end of the last read
}

func (u *utf8Reader) Read(p []byte) (int, error) {
	n, err := u.r.Read(p)
	b := p[:n]
	start := 0 // where whole runes of b begin
	for len(u.pending) > 0 && start < len(b) && !utf8.FullRune(u.pending) {
		u.pending = append(u.pending, b[start])
		start++
	}
	if len(u.pending) > 0 && utf8.FullRune(u.pending) {
		if r, size := utf8.DecodeRune(u.pending); r == utf8.RuneError && size == 1 {
			return 0, u.invalid(u.offset-int64(len(u.pending)-start), u.pending)
		}
		u.pending = u.pending[:0]
	}
	if len(u.pending) == 0 {
		for i := start; i < len(b); {
			if b[i] < utf8.RuneSelf {
				i++
				continue
			}
			if !utf8.FullRune(b[i:]) {
				u.pending = append(u.pending, b[i:]...)
				break
			}
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size == 1 {
				return i, u.invalid(u.offset+int64(i), b[i:min(i+4, len(b))])
			}
			i += size
		}
	}
	u.offset += int64(n)
	if err == io.EOF && len(u.pending) > 0 {
		return n, &valuegraph.Error{Code: valuegraph.EINVALID, File: u.file,
			Message: fmt.Sprintf("byte %d: the file ends inside a UTF-8 character", u.offset)}
	}
	return n, err
}

func (u *utf8Reader) invalid(at int64, bad []byte) error {
	return &valuegraph.Error{Code: valuegraph.EINVALID, File: u.file,
		Message: fmt.Sprintf("byte %d: not valid UTF-8 (% x), though the start of the file is: the file mixes encodings", at, bad)}
}
