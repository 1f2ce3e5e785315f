package store

import (
	"testing"
	"time"
)

func TestChainHashIsStable(t *testing.T) {
	t.Parallel()
	// Pinned: a change of the encoding breaks every stored chain. A new
	// encoding needs a new chainVersion, not an edit of this value. The
	// value was recomputed outside Go from the documented encoding (Python):
	//
	//	import hashlib
	//	f = ["gegrond-event-v1", "org-a", "c1", "1", "1", "received",
	//	     '{"name":"A","kind":"user"}', "2026-03-02T00:00:00Z", "00", ""]
	//	print(hashlib.sha256(b"".join(b"%d:%s," % (len(x.encode()), x.encode()) for x in f)).hexdigest())
	l := link{orgID: "org-a", caseID: "c1", seq: 1, orgSeq: 1, typ: "received",
		actor: []byte(`{"name":"A","kind":"user"}`), at: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
		payloadDigest: "00", prevHash: ""}
	const want = "70fa4628b306d24df8b1665110bfadfbf573f74482ddc0c48b224856d6a6406f"
	if got := l.hash(); got != want {
		t.Errorf("hash = %s, want %s", got, want)
	}
}
