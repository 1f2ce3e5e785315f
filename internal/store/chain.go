package store

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"strconv"
	"time"
)

// chainVersion is the first field of every hashed record; a new encoding
// gets a new version and old events keep verifying under theirs.
const chainVersion = "gegrond-event-v1"

// link is what an event's hash covers. The payload is covered through its
// salted digest only, so that erasing the payload (personal data) leaves
// the hash, and the chain, intact.
type link struct {
	orgID         string
	caseID        string
	seq           int
	orgSeq        int64
	typ           string
	actor         []byte // the actor JSON exactly as stored
	at            time.Time
	payloadDigest string // hex
	prevHash      string // hex; "" for an organisation's first event
}

// hash returns the hex SHA-256 of the link's canonical encoding: each field
// as a netstring ("<length>:<bytes>,"), in the order of the struct, with
// numbers in decimal and at in UTC RFC 3339 with nanoseconds. The encoding
// is unambiguous and easy to recompute outside Gegrond.
func (l link) hash() string {
	h := sha256.New()
	netstring(h, chainVersion)
	netstring(h, l.orgID)
	netstring(h, l.caseID)
	netstring(h, strconv.Itoa(l.seq))
	netstring(h, strconv.FormatInt(l.orgSeq, 10))
	netstring(h, l.typ)
	netstring(h, string(l.actor))
	netstring(h, l.at.UTC().Format(time.RFC3339Nano))
	netstring(h, l.payloadDigest)
	netstring(h, l.prevHash)
	return hex.EncodeToString(h.Sum(nil))
}

func netstring(h hash.Hash, s string) {
	h.Write([]byte(strconv.Itoa(len(s))))
	h.Write([]byte{':'})
	h.Write([]byte(s))
	h.Write([]byte{','})
}

// payloadDigest returns the hex SHA-256 of salt followed by payload. The
// salt keeps an erased payload from being confirmed by guessing it.
func payloadDigest(salt, payload []byte) string {
	h := sha256.New()
	h.Write(salt)
	h.Write(payload)
	return hex.EncodeToString(h.Sum(nil))
}

// newSalt returns 16 random bytes.
func newSalt() []byte {
	b := make([]byte, 16)
	rand.Read(b) // never returns an error
	return b
}
