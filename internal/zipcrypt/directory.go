package zipcrypt

import (
	"bufio"
	"encoding/binary"
	"io"
)

// ZIP record signatures and sizes (APPNOTE.TXT 4.3).
const (
	sigCentral     = 0x02014b50
	sigEnd         = 0x06054b50
	sigEnd64       = 0x06064b50
	sigEnd64Loc    = 0x07064b50
	centralLen     = 46
	endLen         = 22
	end64LocLen    = 20
	end64Len       = 56
	maxInt64       = 1<<63 - 1
	endSearchShort = 1 << 10
	endSearchLong  = 65 << 10
)

// countEntries counts the central directory headers of the archive in r
// the way archive/zip reads them (the same end record, the same start,
// headers until the first bad one), stopping once past max. An archive it
// cannot make sense of counts 0: archive/zip then says what is wrong.
func countEntries(r io.ReaderAt, size int64, max int) int {
	start, ok := directoryStart(r, size)
	if !ok {
		return 0
	}
	br := bufio.NewReaderSize(io.NewSectionReader(r, start, size-start), 4096)
	var h [centralLen]byte
	n := 0
	for n <= max {
		if _, err := io.ReadFull(br, h[:]); err != nil || binary.LittleEndian.Uint32(h[:]) != sigCentral {
			break
		}
		rest := int(binary.LittleEndian.Uint16(h[28:])) + int(binary.LittleEndian.Uint16(h[30:])) + int(binary.LittleEndian.Uint16(h[32:]))
		if _, err := br.Discard(rest); err != nil {
			break
		}
		n++
	}
	return n
}

// directoryStart finds where the central directory begins, as archive/zip
// does: the end record in the last 1 KiB, else the last 65 KiB; the ZIP64
// end record when the end record points to it; data prepended to the
// archive allowed for.
func directoryStart(r io.ReaderAt, size int64) (int64, bool) {
	var end []byte
	endOffset := int64(-1)
	for _, n := range []int64{endSearchShort, endSearchLong} {
		n = min(n, size)
		buf := make([]byte, n)
		if _, err := r.ReadAt(buf, size-n); err != nil && err != io.EOF {
			return 0, false
		}
		if p := lastEndRecord(buf); p >= 0 {
			end, endOffset = buf[p:], size-n+int64(p)
			break
		}
		if n == size {
			break
		}
	}
	if endOffset < 0 {
		return 0, false
	}
	records := uint64(binary.LittleEndian.Uint16(end[10:]))
	dirSize := uint64(binary.LittleEndian.Uint32(end[12:]))
	dirOffset := uint64(binary.LittleEndian.Uint32(end[16:]))
	if records == 0xffff || dirSize == 0xffff || dirOffset == 0xffffffff {
		var loc [end64LocLen]byte
		if endOffset >= end64LocLen {
			if _, err := r.ReadAt(loc[:], endOffset-end64LocLen); err != nil {
				return 0, false
			}
		}
		if binary.LittleEndian.Uint32(loc[:]) == sigEnd64Loc &&
			binary.LittleEndian.Uint32(loc[4:]) == 0 && binary.LittleEndian.Uint32(loc[16:]) == 1 {
			p := binary.LittleEndian.Uint64(loc[8:])
			var rec [end64Len]byte
			if p > maxInt64 {
				return 0, false
			}
			if _, err := r.ReadAt(rec[:], int64(p)); err != nil || binary.LittleEndian.Uint32(rec[:]) != sigEnd64 {
				return 0, false
			}
			dirSize = binary.LittleEndian.Uint64(rec[40:])
			dirOffset = binary.LittleEndian.Uint64(rec[48:])
			endOffset = int64(p)
		}
	}
	if dirSize > maxInt64 || dirOffset > maxInt64 {
		return 0, false
	}
	base := endOffset - int64(dirSize) - int64(dirOffset)
	if o := base + int64(dirOffset); o < 0 || o >= size {
		return 0, false
	}
	if base > 0 && hasCentralHeader(r, int64(dirOffset)) {
		base = 0 // as archive/zip: the end record's offsets were right after all
	}
	return base + int64(dirOffset), true
}

// lastEndRecord returns the position of the last end record in b whose
// comment fits in b, or -1.
func lastEndRecord(b []byte) int {
	for i := len(b) - endLen; i >= 0; i-- {
		if binary.LittleEndian.Uint32(b[i:]) == sigEnd {
			if n := int(binary.LittleEndian.Uint16(b[i+endLen-2:])); i+endLen+n > len(b) {
				return -1
			}
			return i
		}
	}
	return -1
}

// hasCentralHeader reports whether a central directory header starts at off.
func hasCentralHeader(r io.ReaderAt, off int64) bool {
	var b [4]byte
	_, err := r.ReadAt(b[:], off)
	return err == nil && binary.LittleEndian.Uint32(b[:]) == sigCentral
}
