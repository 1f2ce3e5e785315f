package document

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ZIP flag and method values (APPNOTE.TXT 4.4.4, 4.4.5).
const (
	zipFlagEncrypted = 0x1
	zipMethodAES     = 99 // WinZip AE-1/AE-2: the AES-256 that Best Match asks for
)

// dirBytesPerEntry bounds the central directory per allowed entry: names,
// extra fields and comments together, so that a directory of a few huge
// names cannot cost much memory either.
const dirBytesPerEntry = 2 << 10

// inspector walks a ZIP container and its nested archives, reading every
// entry once as a stream (to nowhere) and counting against the limits:
// nothing is unpacked to memory or to disk in plaintext. Nested archives
// are spooled encrypted under a throwaway key, since the ZIP format needs
// random access.
type inspector struct {
	lim     ArchiveLimits
	name    string // the upload's name, for refusals
	tempDir string
	entries int
	unpack  int64 // declared unpacked bytes so far, nested included
	buf     []byte
	// encrypted is set when an entry is password-protected (not read).
	encrypted bool
}

// open checks the size of the central directory before archive/zip reads
// it (archive/zip keeps every entry in memory, and reads entries until a bad
// header whatever count the archive claims) and opens the archive.
func (in *inspector) open(r io.ReaderAt, size int64) (*zip.Reader, error) {
	maxDir := int64(in.lim.MaxEntries) * dirBytesPerEntry
	n, dirBytes, err := countDirectory(r, size, in.lim.MaxEntries-in.entries, maxDir)
	if err != nil {
		return nil, in.damaged(err)
	}
	if in.entries+n > in.lim.MaxEntries || dirBytes > maxDir {
		return nil, in.refuse(ReasonArchiveEntries, int64(in.lim.MaxEntries))
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, in.damaged(err)
	}
	if in.entries+len(zr.File) > in.lim.MaxEntries {
		return nil, in.refuse(ReasonArchiveEntries, int64(in.lim.MaxEntries))
	}
	return zr, nil
}

// walk checks one archive at depth (the upload is depth 1): first what its
// directory declares, then every entry's content as it unpacks.
func (in *inspector) walk(ctx context.Context, zr *zip.Reader, size int64, depth int) error {
	if depth > in.lim.MaxDepth {
		return in.refuse(ReasonArchiveDepth, int64(in.lim.MaxDepth))
	}
	in.entries += len(zr.File)
	if in.entries > in.lim.MaxEntries {
		return in.refuse(ReasonArchiveEntries, int64(in.lim.MaxEntries))
	}
	// What the directory declares: archive/zip refuses to unpack more than
	// an entry declares, so these sizes bound the work below.
	var total uint64
	for _, f := range zr.File {
		u, c := f.UncompressedSize64, f.CompressedSize64
		if int64(u) < 0 || u > uint64(in.lim.MaxUncompressed) {
			return in.refuse(ReasonArchiveSize, in.lim.MaxUncompressed)
		}
		if int64(u) >= in.lim.RatioFrom && (c == 0 || u/c > uint64(in.lim.MaxRatio)) {
			return in.refuse(ReasonArchiveRatio, in.lim.MaxRatio)
		}
		total += u
		if in.unpack+int64(total) > in.lim.MaxUncompressed {
			return in.refuse(ReasonArchiveSize, in.lim.MaxUncompressed)
		}
	}
	if int64(total) >= in.lim.RatioFrom && (size <= 0 || total/uint64(size) > uint64(in.lim.MaxRatio)) {
		return in.refuse(ReasonArchiveRatio, in.lim.MaxRatio)
	}
	in.unpack += int64(total)

	for _, f := range zr.File {
		if err := ctx.Err(); err != nil {
			return err
		}
		if f.Flags&zipFlagEncrypted != 0 || f.Method == zipMethodAES {
			// Password-protected: accepted as received, not read.
			in.encrypted = true
			continue
		}
		if f.FileInfo().IsDir() && f.UncompressedSize64 == 0 {
			continue
		}
		if err := in.entry(ctx, f, depth); err != nil {
			return err
		}
	}
	return nil
}

// entry unpacks one entry as a stream; a nested ZIP is spooled and walked.
func (in *inspector) entry(ctx context.Context, f *zip.File, depth int) error {
	rc, err := f.Open()
	if err != nil {
		return in.damaged(fmt.Errorf("entry %q: %w", f.Name, err))
	}
	defer rc.Close()
	var head [4]byte
	n, err := io.ReadFull(rc, head[:])
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return nil // shorter than any archive; fully read (and checked) already
	}
	if err != nil {
		return in.damaged(fmt.Errorf("entry %q: %w", f.Name, err))
	}
	if !bytes.Equal(head[:n], []byte("PK\x03\x04")) {
		if _, err := io.CopyBuffer(io.Discard, rc, in.buf); err != nil {
			return in.damaged(fmt.Errorf("entry %q: %w", f.Name, err))
		}
		return nil
	}
	if depth+1 > in.lim.MaxDepth {
		return in.refuse(ReasonArchiveDepth, int64(in.lim.MaxDepth))
	}
	spool, err := newSpool(in.tempDir)
	if err != nil {
		return err
	}
	defer spool.abort()
	if _, err := spool.Write(head[:n]); err != nil {
		return err
	}
	if _, err := io.CopyBuffer(diskWriter{spool}, rc, in.buf); err != nil {
		var disk diskError
		if errors.As(err, &disk) {
			return err
		}
		return in.damaged(fmt.Errorf("entry %q: %w", f.Name, err))
	}
	if err := spool.finish(); err != nil {
		return err
	}
	op, err := spool.opener()
	if err != nil {
		return err
	}
	zr, err := in.open(op, op.Size())
	if err != nil {
		return err
	}
	return in.walk(ctx, zr, op.Size(), depth+1)
}

// diskWriter marks errors of our own disk, which are internal, apart from
// errors in the archive's content, which mean it is damaged.
type diskWriter struct{ w io.Writer }

func (d diskWriter) Write(p []byte) (int, error) {
	n, err := d.w.Write(p)
	if err != nil {
		err = diskError{err}
	}
	return n, err
}

type diskError struct{ error }

func (e diskError) Unwrap() error { return e.error }

func (in *inspector) refuse(reason string, limit int64) *Refusal {
	r := newRefusal(reason, in.name)
	r.Limit = limit
	return r.done()
}

func (in *inspector) damaged(cause error) *Refusal {
	r := newRefusal(ReasonArchiveDamaged, in.name)
	r.Cause = cause
	return r.done()
}

// classifyZip names the kind of ZIP container from its directory: Office
// Open XML by its parts, OpenDocument and EPUB by their "mimetype" entry.
// It decides from the whole directory, where type sniffing sees only the
// first entries.
func classifyZip(zr *zip.Reader) string {
	var contentTypes, word, xl, ppt, manifest, android bool
	var mimetypeEntry *zip.File
	for _, f := range zr.File {
		switch {
		case f.Name == "[Content_Types].xml":
			contentTypes = true
		case strings.HasPrefix(f.Name, "word/"):
			word = true
		case strings.HasPrefix(f.Name, "xl/"):
			xl = true
		case strings.HasPrefix(f.Name, "ppt/"):
			ppt = true
		case f.Name == "META-INF/MANIFEST.MF":
			manifest = true
		case f.Name == "AndroidManifest.xml":
			android = true
		case f.Name == "mimetype":
			mimetypeEntry = f
		}
	}
	switch {
	case android:
		return mimeApk
	case manifest:
		return mimeJar
	case contentTypes && word:
		return mimeDocx
	case contentTypes && xl:
		return mimeXlsx
	case contentTypes && ppt:
		return mimePptx
	case mimetypeEntry != nil:
		switch readSmallEntry(mimetypeEntry) {
		case mimeOdt:
			return mimeOdt
		case mimeOds:
			return mimeOds
		case mimeOdp:
			return mimeOdp
		case mimeEpub:
			return mimeEpub
		}
	}
	return mimeZip
}

// readSmallEntry returns the content of a short, unencrypted entry; "" for
// anything else.
func readSmallEntry(f *zip.File) string {
	if f.Flags&zipFlagEncrypted != 0 || f.UncompressedSize64 > 128 {
		return ""
	}
	rc, err := f.Open()
	if err != nil {
		return ""
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, 128))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// countDirectory counts the central directory entries of the ZIP archive in
// r the way archive/zip will read them (the same end record, the same
// start, headers until the first bad one), stopping once more than max
// entries or maxBytes bytes are seen. An archive it cannot make sense of
// returns 0 entries and no error: archive/zip then says what is wrong.
func countDirectory(r io.ReaderAt, size int64, max int, maxBytes int64) (n int, dirBytes int64, err error) {
	end, endOffset, ok := findDirectoryEnd(r, size)
	if !ok {
		return 0, 0, nil
	}
	base := endOffset - int64(end.dirSize) - int64(end.dirOffset)
	if o := base + int64(end.dirOffset); o < 0 || o >= size {
		return 0, 0, nil
	}
	if base > 0 && hasSignature(r, int64(end.dirOffset), 0x02014b50) {
		base = 0 // as archive/zip: a wrong base offset in the end record
	}
	br := bufio.NewReaderSize(io.NewSectionReader(r, base+int64(end.dirOffset), size), 4096)
	var hdr [46]byte
	for n <= max && dirBytes <= maxBytes {
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			break
		}
		if binary.LittleEndian.Uint32(hdr[:4]) != 0x02014b50 {
			break
		}
		vlen := int64(binary.LittleEndian.Uint16(hdr[28:])) + int64(binary.LittleEndian.Uint16(hdr[30:])) + int64(binary.LittleEndian.Uint16(hdr[32:]))
		if _, err := br.Discard(int(vlen)); err != nil {
			break
		}
		n++
		dirBytes += 46 + vlen
	}
	return n, dirBytes, nil
}

type directoryEnd struct {
	records, dirSize, dirOffset uint64
}

// findDirectoryEnd finds the end of central directory record as
// archive/zip does: the last signature with a comment that fits, in the last
// 1 KiB, else the last 65 KiB; with the ZIP64 record when the end record
// asks for it.
func findDirectoryEnd(r io.ReaderAt, size int64) (directoryEnd, int64, bool) {
	const endLen = 22
	var buf []byte
	var endOffset int64 = -1
	for _, blen := range []int64{1024, 65 * 1024} {
		blen = min(blen, size)
		buf = make([]byte, blen)
		if _, err := r.ReadAt(buf, size-blen); err != nil && err != io.EOF {
			return directoryEnd{}, 0, false
		}
		if p := lastEndSignature(buf, endLen); p >= 0 {
			buf = buf[p:]
			endOffset = size - blen + int64(p)
			break
		}
		if blen == size {
			break
		}
	}
	if endOffset < 0 {
		return directoryEnd{}, 0, false
	}
	d := directoryEnd{
		records:   uint64(binary.LittleEndian.Uint16(buf[10:])),
		dirSize:   uint64(binary.LittleEndian.Uint32(buf[12:])),
		dirOffset: uint64(binary.LittleEndian.Uint32(buf[16:])),
	}
	if d.records == 0xffff || d.dirSize == 0xffff || d.dirOffset == 0xffffffff {
		loc := make([]byte, 20)
		if endOffset-20 >= 0 {
			if _, err := r.ReadAt(loc, endOffset-20); err == nil &&
				binary.LittleEndian.Uint32(loc) == 0x07064b50 &&
				binary.LittleEndian.Uint32(loc[4:]) == 0 &&
				binary.LittleEndian.Uint32(loc[16:]) == 1 {
				p := int64(binary.LittleEndian.Uint64(loc[8:]))
				rec := make([]byte, 56)
				if p < 0 || p > size {
					return directoryEnd{}, 0, false
				}
				if _, err := r.ReadAt(rec, p); err != nil || binary.LittleEndian.Uint32(rec) != 0x06064b50 {
					return directoryEnd{}, 0, false
				}
				d.records = binary.LittleEndian.Uint64(rec[32:])
				d.dirSize = binary.LittleEndian.Uint64(rec[40:])
				d.dirOffset = binary.LittleEndian.Uint64(rec[48:])
				endOffset = p
			}
		}
	}
	if d.dirSize > 1<<62 || d.dirOffset > 1<<62 {
		return directoryEnd{}, 0, false
	}
	return d, endOffset, true
}

func lastEndSignature(b []byte, endLen int) int {
	for i := len(b) - endLen; i >= 0; i-- {
		if b[i] == 'P' && b[i+1] == 'K' && b[i+2] == 0x05 && b[i+3] == 0x06 {
			n := int(b[i+endLen-2]) | int(b[i+endLen-1])<<8
			if n+endLen+i > len(b) {
				return -1
			}
			return i
		}
	}
	return -1
}

func hasSignature(r io.ReaderAt, off int64, sig uint32) bool {
	var b [4]byte
	if _, err := r.ReadAt(b[:], off); err != nil {
		return false
	}
	return binary.LittleEndian.Uint32(b[:]) == sig
}
