package api

import (
	"time"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/store"
)

// letterView is a letter as the API shows it: what was written, to whom,
// and what became of it. The PDF is fetched apart, at PDFURL.
type letterView struct {
	ID         string                `json:"id"`
	CaseNumber string                `json:"case_number"`
	Kind       string                `json:"kind"`
	Lang       string                `json:"lang"`
	State      store.LetterState     `json:"state"`
	Subject    string                `json:"subject"`
	Channel    store.LetterChannel   `json:"channel"`
	Recipient  store.LetterRecipient `json:"recipient"`
	// Date is the date the letter carries.
	Date       calendar.Date `json:"date"`
	ComposedAt time.Time     `json:"composed_at"`
	// BasedOnSeq is the case's last event when the letter was written.
	BasedOnSeq int            `json:"based_on_seq"`
	MessageID  string         `json:"message_id,omitempty"`
	SentAt     *time.Time     `json:"sent_at,omitempty"`
	PostedOn   *calendar.Date `json:"posted_on,omitempty"`
	// Error says why sending failed, or why the last attempt failed.
	Error string `json:"error,omitempty"`
	Text  string `json:"text"`
	// PDFURL is where the letter's PDF is downloaded.
	PDFURL string `json:"pdf_url"`
}

// viewLetter renders a stored letter.
func viewLetter(l store.Letter) letterView {
	v := letterView{
		ID: l.ID, CaseNumber: l.CaseNumber, Kind: l.Kind, Lang: l.Lang, State: l.State,
		Subject: l.Subject, Channel: l.Channel, Recipient: l.Recipient, Date: l.Date,
		ComposedAt: l.ComposedAt, BasedOnSeq: l.BasedOnSeq, MessageID: l.MessageID,
		Error: l.Error, Text: l.Text, PDFURL: Prefix + "/letters/" + l.ID + "/pdf",
	}
	if !l.SentAt.IsZero() {
		at := l.SentAt
		v.SentAt = &at
	}
	if !l.PostedOn.IsZero() {
		on := l.PostedOn
		v.PostedOn = &on
	}
	return v
}

// letterList is the answer of GET /cases/{number}/letters.
type letterList struct {
	Letters []letterView `json:"letters"`
	// Kinds are the letter kinds the case's regulation asks for, in its
	// order: what a client offers to write.
	Kinds []reglement.LetterKind `json:"kinds"`
}
