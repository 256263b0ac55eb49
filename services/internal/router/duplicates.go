package router

import (
	"context"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"pakn.local/services/internal/feedback"
)

// Duplicates: ten neighbours report the same pothole. A new item about the
// same category in the same ward as an open ticket of the last 30 days, at
// the same place (neighbourhood, street or map point) and in similar words,
// is linked to it instead of being assigned again: the official answers
// once and every linked citizen gets the answer.
const (
	DuplicateWindow     = 30 * 24 * time.Hour
	duplicateSimilarity = 0.5   // share of the shorter text's words found in the other
	duplicateNearMetres = 150.0 // two map points this close are one place
	duplicateRefresh    = 30 * time.Second
)

// OpenTicketLister lists recent open tickets (mongostore.Store).
type OpenTicketLister interface {
	OpenTickets(ctx context.Context, since time.Time) ([]*feedback.Ticket, error)
}

// openTicket is what the duplicate check keeps of an open ticket.
type openTicket struct {
	t       *feedback.Ticket
	words   map[string]bool
	numbers map[string]bool // house and alley numbers
	street  string
}

// duplicateIndex is the router's picture of recent open tickets, read
// every 30 s and extended with the tickets this router makes in between.
// Reading it scans the open tickets, so after the first read it is read
// again in the background: no item waits for the scan.
type duplicateIndex struct {
	src OpenTicketLister
	now func() time.Time

	mu         sync.Mutex
	at         time.Time
	byKey      map[string][]openTicket // see placeKeys
	loaded     bool
	refreshing bool
	made       []openTicket // made while a refresh reads, to file into what it read
}

// refreshTimeout bounds a background read of the open tickets.
const refreshTimeout = 30 * time.Second

// placeKeys files a ticket under each place it names (street, neighbourhood,
// or "has a map point"), within its category and ward, so that a new item
// is compared only with tickets about the same place.
func placeKeys(o openTicket) []string {
	base := o.t.Category + "/" + o.t.Ward + "/"
	var keys []string
	if o.street != "" {
		keys = append(keys, base+"s:"+o.street)
	}
	if o.t.Neighbourhood != "" && o.street == "" {
		keys = append(keys, base+"n:"+o.t.Neighbourhood)
	}
	if o.t.Location != nil {
		keys = append(keys, base+"p")
	}
	return keys
}

// find returns the open ticket a new one duplicates, if any.
func (x *duplicateIndex) find(ctx context.Context, t *feedback.Ticket, streets func(string) string) (*feedback.Ticket, error) {
	if t.Category == "" || t.Ward == "" {
		return nil, nil
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if err := x.load(ctx, streets); err != nil {
		return nil, err
	}
	cand := newOpenTicket(t, streets)
	for _, k := range placeKeys(cand) {
		for _, o := range x.byKey[k] {
			if t.ReceivedAt.Sub(o.t.ReceivedAt) > DuplicateWindow || !samePlace(cand, o) {
				continue
			}
			if similarity(cand.words, o.words) >= duplicateSimilarity {
				return o.t, nil
			}
		}
	}
	return nil, nil
}

// load reads the open tickets the first time, on the caller's path (without
// them no duplicate is found; Router.Warm does it before the first item),
// and starts a background read when the picture is old. x.mu is held.
func (x *duplicateIndex) load(ctx context.Context, streets func(string) string) error {
	if !x.loaded {
		list, err := x.src.OpenTickets(ctx, x.now().Add(-DuplicateWindow))
		if err != nil {
			return err
		}
		x.byKey, x.at, x.loaded = x.index(list, streets), x.now(), true
	} else if !x.refreshing && x.now().Sub(x.at) >= duplicateRefresh {
		x.refreshing = true
		go x.refresh(streets)
	}
	return nil
}

// warm reads the open tickets if they were never read.
func (x *duplicateIndex) warm(ctx context.Context, streets func(string) string) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.load(ctx, streets)
}

// add remembers a ticket this router just made.
func (x *duplicateIndex) add(t *feedback.Ticket, streets func(string) string) {
	if t.Status != feedback.StatusAssigned || t.Category == "" || t.Ward == "" {
		return
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.byKey != nil {
		o := newOpenTicket(t, streets)
		file(x.byKey, o)
		if x.refreshing {
			x.made = append(x.made, o) // the refresh may have read before it was stored
		}
	}
}

// refresh reads the open tickets again, in the background, and swaps the
// new picture in with the tickets made meanwhile. On failure the old
// picture stays until the next interval.
func (x *duplicateIndex) refresh(streets func(string) string) {
	ctx, cancel := context.WithTimeout(context.Background(), refreshTimeout)
	defer cancel()
	list, err := x.src.OpenTickets(ctx, x.now().Add(-DuplicateWindow))
	var byKey map[string][]openTicket
	read := make(map[feedback.TrackingCode]bool, len(list))
	if err == nil {
		byKey = x.index(list, streets)
		for _, t := range list {
			read[t.Code] = true
		}
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if err == nil {
		for _, o := range x.made {
			if !read[o.t.Code] {
				file(byKey, o)
			}
		}
		x.byKey = byKey
	}
	x.at, x.refreshing, x.made = x.now(), false, nil
}

// index files the assigned, unlinked tickets of list by place.
func (x *duplicateIndex) index(list []*feedback.Ticket, streets func(string) string) map[string][]openTicket {
	byKey := map[string][]openTicket{}
	for _, t := range list {
		if t.Status == feedback.StatusAssigned && t.LinkedTo == "" {
			file(byKey, newOpenTicket(t, streets))
		}
	}
	return byKey
}

func file(byKey map[string][]openTicket, o openTicket) {
	for _, k := range placeKeys(o) {
		byKey[k] = append(byKey[k], o)
	}
}

func newOpenTicket(t *feedback.Ticket, streets func(string) string) openTicket {
	o := openTicket{t: t, words: wordSet(t.Title + " " + t.Content), street: streets(t.Address + " " + t.Content),
		numbers: map[string]bool{}}
	for _, w := range strings.Fields(Fold(t.Title + " " + t.Content + " " + t.Address)) {
		if w[0] >= '0' && w[0] <= '9' {
			o.numbers[w] = true
		}
	}
	return o
}

// samePlace: the same neighbourhood, the same named street, or map points
// within duplicateNearMetres. Without any of these the place is unknown
// and nothing is linked: a wrong link would leave a citizen unanswered.
func samePlace(a, b openTicket) bool {
	if len(a.numbers) > 0 && len(b.numbers) > 0 && !overlaps(a.numbers, b.numbers) {
		return false // "số 12" and "số 25" of one street are two places
	}
	if a.t.Location != nil && b.t.Location != nil {
		return metres(*a.t.Location, *b.t.Location) <= duplicateNearMetres
	}
	if a.street != "" && a.street == b.street {
		return true
	}
	return a.t.Neighbourhood != "" && a.t.Neighbourhood == b.t.Neighbourhood && a.street == "" && b.street == ""
}

func overlaps(a, b map[string]bool) bool {
	for k := range a {
		if b[k] {
			return true
		}
	}
	return false
}

// stopWords carry no meaning for telling one report from another.
var stopWords = map[string]bool{
	"va": true, "cua": true, "co": true, "la": true, "o": true, "bi": true, "da": true, "rat": true, "nay": true,
	"cho": true, "de": true, "nghi": true, "xin": true, "cac": true, "nhung": true, "mot": true, "khong": true,
	"duoc": true, "tai": true, "so": true, "phuong": true, "tren": true, "truoc": true, "gan": true, "con": true,
	"the": true, "va.": true, "toi": true, "em": true, "anh": true, "chi": true, "a": true, "nhe": true,
}

func wordSet(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(Fold(s)) {
		if len(w) > 1 && !stopWords[w] {
			out[w] = true
		}
	}
	return out
}

// similarity is the share of the shorter text's words found in the other.
func similarity(a, b map[string]bool) float64 {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) == 0 {
		return 0
	}
	n := 0
	for w := range a {
		if b[w] {
			n++
		}
	}
	return float64(n) / float64(len(a))
}

// metres between two points (equirectangular: exact enough within a district).
func metres(a, b feedback.Location) float64 {
	const r = 6371000.0
	lat := (a.Lat + b.Lat) / 2 * math.Pi / 180
	dx := (b.Lng - a.Lng) * math.Pi / 180 * math.Cos(lat)
	dy := (b.Lat - a.Lat) * math.Pi / 180
	return r * math.Sqrt(dx*dx+dy*dy)
}

// street names the first street a text mentions, as the locator knows it
// ("" when none): two reports naming one street are at one place.
func (l *Locator) street(text string) string {
	ids := l.scanStreets(Fold(text), false)
	if len(ids) == 0 {
		return ""
	}
	return strconv.Itoa(ids[0])
}
