// Package document takes in the files a complainant sends as evidence and
// keeps them safe.
//
// Checker.Accept reads one upload as a stream and keeps it only when it
// passes every check, in this order:
//
//   - size: copying stops at the policy's limit plus one byte;
//   - type: decided from the content (mimetype, and for ZIP containers the
//     archive's own directory), never from the name, against the formats of
//     the regulation's evidence rule (PolicyFor);
//   - decompression bombs: ZIP archives and the Office files that are ZIP
//     containers (DOCX, XLSX, ODT) are walked entry by entry, nested
//     archives included, against ArchiveLimits; password-protected archives
//     are accepted as received and flagged;
//   - viruses: the content is streamed to clamd (package clamd) when a
//     Scanner is configured.
//
// Accepted files go to a Store: a local directory outside any web root,
// files under random names, each encrypted with its own AES-256-GCM key in
// 64 KiB segments, the key wrapped by a master key from configuration
// (Keyring). A refused upload leaves nothing behind; Store.Sweep removes
// what a crash or a failed transaction leaves. Refusals are *Refusal
// values: an apperr invalid error on field "evidence" with a stable reason,
// a Dutch message, and the details for an English one.
//
// Plaintext from outside never touches the disk: what needs random access
// before it is accepted (the ZIP directory, nested archives, Check) is
// written encrypted under a throwaway key.
package document
