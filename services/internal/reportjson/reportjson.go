// Package reportjson is the JSON body of a citizen's report that the
// Digital Citizen app API and the city portal share (CONTRACT.md: a portal
// event carries the fields of the app body), and its one conversion to the
// domain. Each API embeds Report in its own request type.
package reportjson

import (
	"strings"

	"pakn.local/services/internal/feedback"
)

// Report is the shared part of a report. Optional objects are pointers so
// that "absent" and "zero" differ.
type Report struct {
	Title       string       `json:"title"`
	Content     string       `json:"content"`
	Category    string       `json:"category"`
	Ward        string       `json:"ward"`
	Address     string       `json:"address"`
	Location    *Location    `json:"location"`
	Citizen     *Citizen     `json:"citizen"`
	Attachments []Attachment `json:"attachments"`
}

// Location is a map point; both coordinates are required when it is sent.
type Location struct {
	Lat *float64 `json:"lat"`
	Lng *float64 `json:"lng"`
}

// Citizen is who reports, as far as they chose to say.
type Citizen struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Phone string `json:"phone"`
	Email string `json:"email"`
}

// Attachment is a photo or document the partner stores, by URL.
type Attachment struct {
	URL         string `json:"url"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
}

// Fill copies the report into an item. Short fields are trimmed; content is
// kept exactly as sent (HTML included): it is text to the district,
// escaped wherever it is shown, and an official must see what was written.
// Item.Validate checks the rest.
func (r *Report) Fill(it *feedback.Item) error {
	it.Title = strings.TrimSpace(r.Title)
	it.Content = r.Content
	it.Category = strings.TrimSpace(r.Category)
	it.Ward = strings.TrimSpace(r.Ward)
	it.Address = strings.TrimSpace(r.Address)
	if l := r.Location; l != nil {
		if l.Lat == nil || l.Lng == nil {
			return feedback.Invalid("location", "Toạ độ phải có cả vĩ độ và kinh độ.", "location needs both lat and lng")
		}
		it.Location = &feedback.Location{Lat: *l.Lat, Lng: *l.Lng}
	}
	if c := r.Citizen; c != nil {
		it.Citizen = feedback.Citizen{
			ID:    strings.TrimSpace(c.ID),
			Name:  strings.TrimSpace(c.Name),
			Phone: feedback.Phone(strings.TrimSpace(c.Phone)),
			Email: strings.TrimSpace(c.Email),
		}
	}
	for _, a := range r.Attachments {
		it.Attachments = append(it.Attachments, feedback.Attachment{
			URL: strings.TrimSpace(a.URL), Name: strings.TrimSpace(a.Name), ContentType: strings.TrimSpace(a.ContentType),
		})
	}
	return nil
}
