package password

import (
	"errors"
	"strings"
	"testing"
)

// fast keeps the tests quick; the encoding and checks are the same.
var fast = Params{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashVerify(t *testing.T) {
	t.Parallel()
	enc, err := HashWith("correct horse battery staple", fast)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Errorf("encoded hash %q does not start with the argon2id PHC prefix", enc)
	}
	if err := Verify("correct horse battery staple", enc); err != nil {
		t.Errorf("Verify with the right password: %v", err)
	}
	if err := Verify("correct horse battery stapl", enc); !errors.Is(err, ErrMismatch) {
		t.Errorf("Verify with a wrong password = %v; want ErrMismatch", err)
	}
	again, _ := HashWith("correct horse battery staple", fast)
	if again == enc {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
}

// The reference implementation's test vector (phc-winner-argon2 test.c):
// argon2id, v=19, m=65536, t=2, p=1, "password" salted with "somesalt".
func TestVerifyReferenceVector(t *testing.T) {
	t.Parallel()
	const ref = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
	if err := Verify("password", ref); err != nil {
		t.Errorf("Verify(reference vector) = %v", err)
	}
	if err := Verify("Password", ref); !errors.Is(err, ErrMismatch) {
		t.Errorf("Verify(wrong password, reference vector) = %v; want ErrMismatch", err)
	}
}

func TestVerifyRejectsDamagedHashes(t *testing.T) {
	t.Parallel()
	for name, enc := range map[string]string{
		"empty":            "",
		"bcrypt":           "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"argon2i":          "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
		"old version":      "$argon2id$v=16$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
		"memory too large": "$argon2id$v=19$m=999999999,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
		"zero threads":     "$argon2id$v=19$m=65536,t=2,p=0$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
		"bad salt":         "$argon2id$v=19$m=65536,t=2,p=1$!!!$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
		"short hash":       "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFh",
	} {
		err := Verify("password", enc)
		if err == nil || errors.Is(err, ErrMismatch) {
			t.Errorf("%s: Verify = %v; want an error that is not ErrMismatch", name, err)
		}
	}
}

func TestNeedsRehash(t *testing.T) {
	t.Parallel()
	enc, _ := HashWith("pw", fast)
	if !NeedsRehash(enc) {
		t.Error("a hash with weaker parameters does not need a rehash")
	}
	if !NeedsRehash("garbage") {
		t.Error("an unreadable hash does not need a rehash")
	}
	def, err := Hash("pw")
	if err != nil {
		t.Fatal(err)
	}
	if NeedsRehash(def) {
		t.Error("a hash with the default parameters needs a rehash")
	}
}

func TestHashWithRefusesWeakParameters(t *testing.T) {
	t.Parallel()
	if _, err := HashWith("pw", Params{Memory: 1024, Time: 1, Threads: 1, SaltLen: 4, KeyLen: 32}); err == nil {
		t.Error("HashWith accepted a 4-byte salt")
	}
}
