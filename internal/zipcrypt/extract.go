package zipcrypt

import (
	"context"
	"io"
	"strings"
)

// Extract calls fn for every file of the archive in r (size bytes), in the
// order of its directory, with the file's plaintext as a stream; password
// decrypts the encrypted ones. Folders and symbolic links are skipped.
//
// Names are made safe (see SafeName): an entry called "../../etc/passwd"
// reaches fn as "etc/passwd", so that fn may join e.Name to a folder. The
// names are not made unique: an archive may hold two entries of one name.
//
// The first entry that cannot be read stops Extract: a wrong password, an
// unsupported method, a failed check. limits is checked as the entries
// unpack. After fn returns, what it left
// unread is read to the end, so that a nil error from Extract means every
// entry passed its checks; when Extract fails, what fn kept of the entries
// must be thrown away. An error from fn stops Extract and is returned as is;
// an error reading an entry is returned even when fn drops it.
//
// ctx is checked between entries and while reading.
func Extract(ctx context.Context, r io.ReaderAt, size int64, password string, limits Limits, fn func(e Entry, body io.Reader) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	lim := limits.withDefaults()
	zr, err := openArchive(r, size, lim.MaxEntries)
	if err != nil {
		return err
	}
	var total int64
	buf := make([]byte, 32<<10)
	for _, f := range zr.File {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !isFile(f) {
			continue
		}
		body, err := openEntry(ctx, r, size, f, password, lim, &total)
		if err != nil {
			return err
		}
		e := describe(f)
		e.Name = SafeName(e.Name)
		err = fn(e, onlyReader{body})
		if err == nil {
			_, err = io.CopyBuffer(io.Discard, onlyReader{body}, buf)
		}
		body.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// onlyReader hides everything of a reader but Read, so that fn cannot close
// it and io.Copy cannot go around the checks.
type onlyReader struct{ r io.Reader }

// Read reads.
func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

// SafeName makes an entry's name a relative slash-separated path that stays
// inside any folder it is joined to: backslashes count as separators; a
// drive letter, empty, "." and ".." elements and control characters are
// dropped. So "../../etc/passwd" becomes "etc/passwd" and `C:\Temp\a.txt`
// becomes "Temp/a.txt". A name with nothing left becomes "unnamed".
func SafeName(name string) string {
	name = strings.Map(func(r rune) rune {
		switch {
		case r == '\\':
			return '/'
		case r < 0x20 || r == 0x7f:
			return -1
		}
		return r
	}, name)
	if len(name) >= 2 && name[1] == ':' && ('a' <= name[0]|0x20 && name[0]|0x20 <= 'z') {
		name = name[2:]
	}
	var parts []string
	for part := range strings.SplitSeq(name, "/") {
		if part != "" && part != "." && part != ".." {
			parts = append(parts, part)
		}
	}
	if len(parts) == 0 {
		return "unnamed"
	}
	return strings.Join(parts, "/")
}
