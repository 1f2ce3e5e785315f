// Package zipcrypt opens password-protected ZIP archives: the encrypted ZIP
// that the Best Match regulation prefers for evidence sent by e-mail, with
// the password in a second mail.
//
// It reads WinZip AES entries (AE-1 and AE-2 with 128, 192 or 256-bit keys:
// what 7-Zip, WinZip and WinRAR write when AES is chosen), traditional
// PKWARE encryption ("ZipCrypto", the weak default of many tools) and
// unencrypted entries, each stored or deflated. PKWARE strong encryption,
// encrypted central directories and other compression methods are refused
// with ErrUnsupported.
//
// List shows what an archive holds without the password, Open reads one
// entry, and Extract walks every file under Limits.
//
// # Integrity
//
// An AES entry carries an authentication code over its ciphertext. It is
// checked before any plaintext is handed out, so a damaged or altered AES
// entry gives ErrCorrupt and no data at all. Other entries carry only a
// CRC-32 (so does AE-1, besides its code), which can be checked only at the
// end: their readers return an error wrapping ErrCorrupt instead of io.EOF,
// and a caller must then throw away what it read. Extract reads every entry
// to its end, so its nil error means every check passed.
//
// # Resources
//
// Everything streams: no entry is held in memory whole. Limits bounds the
// entries, the unpacked bytes and the compression ratio, counted on the
// bytes actually unpacked, so a decompression bomb is stopped early. The
// io.ReaderAt is read more than once (an AES entry once to authenticate it,
// once to decrypt it) and must not change while it is being read.
//
// # Errors
//
// Errors wrap ErrWrongPassword, ErrCorrupt, ErrUnsupported or ErrLimit, for
// errors.Is, and name the entry; their messages say what to do next.
package zipcrypt
