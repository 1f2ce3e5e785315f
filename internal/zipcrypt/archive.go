package zipcrypt

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// Limits bounds what is unpacked, against decompression bombs. Sizes are
// counted on the bytes actually unpacked, not on what the archive declares
// (though an entry that declares more than MaxEntry is refused unread, and
// one that unpacks to more than it declares is corrupt). A zero (or
// negative) field takes its default.
type Limits struct {
	// MaxEntries bounds the entries of the archive, folders included
	// (default 1000). It is checked before the directory is read.
	MaxEntries int
	// MaxTotal bounds the bytes unpacked from all entries together
	// (default 1 GiB).
	MaxTotal int64
	// MaxEntry bounds the bytes unpacked from one entry (default 256 MiB).
	MaxEntry int64
	// MaxRatio bounds the bytes unpacked from one entry as a multiple of
	// its packed size, once it passes 1 MiB (default 100).
	MaxRatio int64
}

// ratioFrom is the unpacked size from which MaxRatio applies: small
// entries, such as a page of repeated lines, may compress very well.
const ratioFrom = 1 << 20

// withDefaults fills in the zero fields.
func (l Limits) withDefaults() Limits {
	if l.MaxEntries <= 0 {
		l.MaxEntries = 1000
	}
	if l.MaxTotal <= 0 {
		l.MaxTotal = 1 << 30
	}
	if l.MaxEntry <= 0 {
		l.MaxEntry = 256 << 20
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = 100
	}
	return l
}

// List returns the files of the archive in r (size bytes), in the order of
// its directory, without needing the password. Folders and symbolic links
// are left out. It refuses archives of more than 1000 entries (the default
// Limits) with ErrLimit.
func List(r io.ReaderAt, size int64) ([]Entry, error) {
	zr, err := openArchive(r, size, Limits{}.withDefaults().MaxEntries)
	if err != nil {
		return nil, err
	}
	var entries []Entry
	for _, f := range zr.File {
		if isFile(f) {
			entries = append(entries, describe(f))
		}
	}
	return entries, nil
}

// Open returns a reader of the plaintext of the entry called name (as List
// gives it) in the archive in r (size bytes), decrypting it with password
// when it is encrypted. The default Limits apply. A wrong password gives
// ErrWrongPassword; an entry that is not there, an error wrapping
// fs.ErrNotExist. The reader returns io.EOF only when the entry has checked
// out whole; see the package documentation.
func Open(r io.ReaderAt, size int64, name, password string) (io.ReadCloser, error) {
	lim := Limits{}.withDefaults()
	zr, err := openArchive(r, size, lim.MaxEntries)
	if err != nil {
		return nil, err
	}
	for _, f := range zr.File {
		if isFile(f) && entryName(f) == name {
			var total int64
			return openEntry(context.Background(), r, size, f, password, lim, &total)
		}
	}
	return nil, fmt.Errorf("zip archive: no file %q in the archive (List shows what it holds): %w", name, fs.ErrNotExist)
}

// openArchive reads the directory of the archive in r, after counting its
// entries: archive/zip keeps every entry of a directory in memory.
func openArchive(r io.ReaderAt, size int64, maxEntries int) (*zip.Reader, error) {
	if size < 0 {
		return nil, archiveError("negative size", ErrCorrupt)
	}
	src := &source{r: r}
	if countEntries(src, size, maxEntries) > maxEntries {
		return nil, archiveError(fmt.Sprintf("more than %d files and folders", maxEntries), ErrLimit)
	}
	zr, err := zip.NewReader(src, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // such names: see SafeName
		if src.err != nil {
			return nil, fmt.Errorf("zip archive: reading it: %w", src.err)
		}
		return nil, archiveError("not a readable ZIP archive ("+err.Error()+")", ErrCorrupt)
	}
	if len(zr.File) > maxEntries {
		return nil, archiveError(fmt.Sprintf("more than %d files and folders", maxEntries), ErrLimit)
	}
	return zr, nil
}

// source is an archive's io.ReaderAt that remembers the first error other
// than io.EOF, so that a failing disk is not reported as a damaged archive.
type source struct {
	r   io.ReaderAt
	err error
}

// ReadAt reads from the archive.
func (s *source) ReadAt(p []byte, off int64) (int, error) {
	n, err := s.r.ReadAt(p, off)
	if err != nil && err != io.EOF && s.err == nil {
		s.err = err
	}
	return n, err
}
