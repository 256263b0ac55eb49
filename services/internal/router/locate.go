package router

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"pakn.local/services/internal/feedback"
)

// Placement is where the locator put an item.
type Placement struct {
	Ward          string // ward code; empty when Unclear
	Neighbourhood string // neighbourhood code, when the address or text names one
	Confidence    float64
	Unclear       bool   // nothing decided, or two wards tied
	Reason        string // short, for the official who settles an unclear item
	Source        string // what decided: "field", "address", "point" or "text"
}

// Sources of a placement, in the order they are tried.
const (
	SourceField   = "field"
	SourceAddress = "address"
	SourcePoint   = "point"
	SourceText    = "text"
)

// How far a map point outside every ward may be and still be placed in the
// nearest one, in degrees (about 300 m here): the demo boundaries are
// approximate and a phone's fix drifts.
const nearDegrees = 0.003

// Locator finds an item's ward from the ward field, the address, the map
// point and the text, in that order. It is built once from the wards and is
// safe for concurrent use.
type Locator struct {
	wards   []locWard
	exact   map[string]int         // whole folded field → ward
	names   map[string][]namePat   // first word → ward names, aliases, abbreviations
	streets map[string][]streetPat // first word → street names and their usual short forms
	// per street id: the wards and neighbourhoods that list it
	streetWards [][]int
	streetHoods [][]hoodRef
	marks       map[string][]markPat // first word → landmark names, aliases and short forms
	// per landmark id: the wards and neighbourhoods that list it
	markWards [][]int
	markHoods [][]hoodRef
}

type locWard struct {
	code  string
	hoods []locHood
	ring  [][2]float64 // [lng, lat]
	// bounding box, to skip the ring test for most wards
	minLng, maxLng, minLat, maxLat float64
}

type locHood struct {
	code string
	num  int // the number of "Khu phố 3"; 0 if its name has none
}

type hoodRef struct{ ward, hood int }

type namePat struct {
	text  string
	ward  int
	short bool // two letters or fewer ("al", "tt"): in free text only after "p" or "phuong"
}

type streetPat struct {
	text   string
	id     int
	common bool // also an everyday phrase ("phan anh" is "phản ánh"): needs a street word before it
}

type markPat struct {
	text string
	id   int
}

// Street names that are also everyday Vietnamese once folded. "Phản ánh"
// (to report) opens half of all messages and folds to the street Phan Anh.
var commonPhrases = map[string]bool{
	"phan anh": true, "dat moi": true, "chien luoc": true, "cay cam": true,
	"ben loi": true, "ao doi": true, "binh thanh": true,
}

// Words that, just before a name, say it is a street.
var streetMarkers = map[string]bool{
	"duong": true, "d": true, "dg": true, "hem": true, "hxh": true, "ngo": true,
	"kiet": true, "pho": true, "tuyen": true, "tren": true, "o": true, "gan": true, "doan": true,
}

// Words that, just before an abbreviation, say it is a ward.
var wardMarkers = map[string]bool{"p": true, "phuong": true, "f": true, "ward": true}

// Generic words of place names and the short forms people write for them:
// "KCN Tân Tạo" is "Khu công nghiệp Tân Tạo", "BX Miền Tây" "Bến xe Miền Tây".
var placeWords = [][2]string{
	{"khu cong nghiep", "kcn"}, {"khu dan cu", "kdc"}, {"ben xe", "bx"}, {"benh vien", "bv"},
	{"trung hoc pho thong", "thpt"}, {"trung hoc co so", "thcs"}, {"trung tam thuong mai", "tttm"},
}

// NewLocator folds the wards' names, aliases, streets and landmarks once.
func NewLocator(wards []feedback.Ward) *Locator {
	l := &Locator{
		exact:   make(map[string]int),
		names:   make(map[string][]namePat),
		streets: make(map[string][]streetPat),
		marks:   make(map[string][]markPat),
	}
	// A form that two wards share points at neither; drop it.
	forms := make(map[string]int)
	add := func(f string, w int) {
		if f == "" {
			return
		}
		if old, ok := forms[f]; ok && old != w {
			forms[f] = -1
			return
		}
		forms[f] = w
	}
	streetIDs := make(map[string]int)
	markIDs := make(map[string]int)
	for wi, w := range wards {
		lw := locWard{code: w.Code, ring: w.Boundary}
		lw.minLng, lw.minLat = math.Inf(1), math.Inf(1)
		lw.maxLng, lw.maxLat = math.Inf(-1), math.Inf(-1)
		for _, p := range w.Boundary {
			lw.minLng, lw.maxLng = math.Min(lw.minLng, p[0]), math.Max(lw.maxLng, p[0])
			lw.minLat, lw.maxLat = math.Min(lw.minLat, p[1]), math.Max(lw.maxLat, p[1])
		}
		for _, n := range w.Neighbourhoods {
			lw.hoods = append(lw.hoods, locHood{code: n.Code, num: trailingNumber(Fold(n.Name))})
		}
		l.wards = append(l.wards, lw)

		for _, s := range append([]string{w.Code, w.Name}, w.Aliases...) {
			f := stripWardPrefix(Fold(s))
			add(f, wi)
			add(strings.ReplaceAll(f, " ", ""), wi)
		}
		for _, a := range abbreviations(Fold(w.Name)) {
			add(a, wi)
		}

		for hi, n := range w.Neighbourhoods {
			for _, s := range n.Streets {
				for _, f := range streetForms(Fold(s)) {
					id, ok := streetIDs[f]
					if !ok {
						id = len(l.streetWards)
						streetIDs[f] = id
						l.streetWards = append(l.streetWards, nil)
						l.streetHoods = append(l.streetHoods, nil)
						l.streets[firstWord(f)] = append(l.streets[firstWord(f)], streetPat{text: f, id: id, common: commonPhrases[f]})
					}
					if !containsInt(l.streetWards[id], wi) {
						l.streetWards[id] = append(l.streetWards[id], wi)
					}
					l.streetHoods[id] = append(l.streetHoods[id], hoodRef{wi, hi})
				}
			}
			for _, m := range n.Landmarks {
				for _, s := range append([]string{m.Name}, m.Aliases...) {
					for _, f := range landmarkForms(Fold(s)) {
						id, ok := markIDs[f]
						if !ok {
							id = len(l.markWards)
							markIDs[f] = id
							l.markWards = append(l.markWards, nil)
							l.markHoods = append(l.markHoods, nil)
							l.marks[firstWord(f)] = append(l.marks[firstWord(f)], markPat{text: f, id: id})
						}
						if !containsInt(l.markWards[id], wi) {
							l.markWards[id] = append(l.markWards[id], wi)
						}
						if !slices.Contains(l.markHoods[id], hoodRef{wi, hi}) {
							l.markHoods[id] = append(l.markHoods[id], hoodRef{wi, hi})
						}
					}
				}
			}
		}
	}
	for f, w := range forms {
		if w < 0 {
			continue
		}
		l.exact[f] = w
		letters := len(strings.ReplaceAll(f, " ", ""))
		l.names[firstWord(f)] = append(l.names[firstWord(f)], namePat{text: f, ward: w, short: letters <= 2})
	}
	return l
}

// abbreviations returns the initials people write for a ward name:
// "binh tri dong b" gives "btd b" and "btdb"; "an lac" gives "al".
func abbreviations(name string) []string {
	words := strings.Fields(name)
	if len(words) < 2 {
		return nil
	}
	suffix := ""
	if last := words[len(words)-1]; len(last) == 1 && len(words) > 2 {
		suffix, words = last, words[:len(words)-1]
	}
	var b strings.Builder
	for _, w := range words {
		b.WriteByte(w[0])
	}
	ini := b.String()
	if suffix == "" {
		return []string{ini}
	}
	return []string{ini + " " + suffix, ini + suffix}
}

// streetForms returns a folded street name and the short forms people
// write for it: "quoc lo 1a" is also "ql1a", "ql 1a"; "duong so 7" is also
// "ds7", "ds 7"; "huong lo 2" is "hl2"; "lien khu 5 6" is "lk 5 6".
func streetForms(f string) []string {
	if f == "" {
		return nil
	}
	forms := []string{f}
	f = strings.TrimPrefix(f, "duong ")
	if f != forms[0] && !strings.HasPrefix(f, "so ") {
		forms = append(forms, f)
	}
	for _, p := range []struct{ long, short string }{
		{"duong so ", "ds"}, {"quoc lo ", "ql"}, {"tinh lo ", "tl"}, {"huong lo ", "hl"}, {"lien khu ", "lk"},
	} {
		if rest, ok := strings.CutPrefix(forms[0], p.long); ok && rest != "" {
			forms = append(forms, p.short+" "+rest)
			if !strings.Contains(rest, " ") {
				forms = append(forms, p.short+rest)
			}
			// "Quốc lộ 1A" is also said "Quốc lộ 1"; "Đường số 17A" is not "Đường số 17".
			if t := strings.TrimRight(rest, "abcdefghijklmnopqrstuvwxyz"); p.short == "ql" && t != rest && t != "" {
				forms = append(forms, p.long+t, p.short+" "+t, p.short+t)
			}
		}
	}
	return forms
}

// landmarkForms returns a folded landmark name and the forms people write
// for it: the generic words long or short ("kcn tan tao", "khu cong nghiep
// tan tao"), and a school without "truong" ("thpt nguyen huu canh").
func landmarkForms(f string) []string {
	if f == "" {
		return nil
	}
	forms := []string{f}
	add := func(s string) {
		if s != "" && !slices.Contains(forms, s) {
			forms = append(forms, s)
		}
	}
	for _, p := range placeWords {
		for _, g := range slices.Clone(forms) {
			add(replaceWords(g, p[0], p[1]))
			add(replaceWords(g, p[1], p[0]))
		}
	}
	for _, g := range slices.Clone(forms) {
		if rest, ok := strings.CutPrefix(g, "truong "); ok &&
			(strings.HasPrefix(rest, "thpt ") || strings.HasPrefix(rest, "thcs ") || strings.HasPrefix(rest, "trung hoc ")) {
			add(rest)
		}
	}
	return forms
}

// replaceWords replaces the first whole-word occurrence of the phrase old
// in folded s by new, or returns "" if s has no such phrase.
func replaceWords(s, old, new string) string {
	i := strings.Index(" "+s+" ", " "+old+" ")
	if i < 0 {
		return ""
	}
	return s[:i] + new + s[i+len(old):]
}

// stripWardPrefix drops "phuong", "p" and the like from the front of a
// folded ward name, so that "P. Tân Tạo" and "Tân Tạo" are one form.
func stripWardPrefix(f string) string {
	for {
		w := firstWord(f)
		if !wardMarkers[w] || len(w) == len(f) {
			return f
		}
		f = f[len(w)+1:]
	}
}

// Locate places an item. The ward field decides if it names a ward (by
// code, name, alias or abbreviation, with or without diacritics) or a
// landmark; then the address, by the landmarks and ward names in it and then
// by its streets; then the map point; then the text, read like the address.
// A source that leaves two or more wards possible narrows what the next may
// choose.
func (l *Locator) Locate(ward, address string, loc *feedback.Location, text string) Placement {
	if l == nil || len(l.wards) == 0 {
		return Placement{Unclear: true, Reason: "chưa có danh sách phường (no wards)"}
	}
	fa, ft := Fold(dropParticleA(address)), Fold(dropParticleA(text))
	var (
		cand    []int // wards left possible by an earlier source; nil: any
		candSrc string
	)
	decided := func(w int, conf float64, src, reason string) Placement {
		p := Placement{Ward: l.wards[w].code, Confidence: conf, Source: src, Reason: reason}
		p.Neighbourhood = l.neighbourhood(w, fa, ft)
		return p
	}
	// narrow intersects a source's wards with what earlier sources allowed.
	// A source that contradicts an earlier ambiguous one still counts, at a
	// lower confidence: it is the only specific evidence there is.
	narrow := func(ws []int) ([]int, float64) {
		if cand == nil {
			return ws, 1
		}
		var in []int
		for _, w := range ws {
			if containsInt(cand, w) {
				in = append(in, w)
			}
		}
		if len(in) == 0 {
			return ws, 0.7
		}
		return in, 1
	}

	if f := Fold(ward); f != "" {
		if w, ok := l.exact[stripWardPrefix(f)]; ok {
			return decided(w, 1, SourceField, "phường do người gửi ghi (ward field)")
		}
		if w, ok := l.exact[strings.ReplaceAll(stripWardPrefix(f), " ", "")]; ok {
			return decided(w, 1, SourceField, "phường do người gửi ghi (ward field)")
		}
		// "KCN Tân Tạo" in the field is the park, not the ward Tân Tạo.
		marks, fm := l.scanLandmarks(f)
		ws := l.scanNames(fm, true)
		if len(ws) == 0 && len(marks) > 0 {
			ws = wardsOf(marks, l.markWards)
		}
		if len(ws) == 1 {
			return decided(ws[0], 0.95, SourceField, "phường do người gửi ghi (ward field)")
		} else if len(ws) > 1 {
			cand, candSrc = ws, SourceField
		}
	}

	if ws, conf := l.fromText(fa, true, 0.95, 0.85); len(ws) > 0 {
		ws, k := narrow(ws)
		if len(ws) == 1 {
			return decided(ws[0], conf*k, SourceAddress, "theo địa chỉ (address)")
		}
		cand, candSrc = ws, SourceAddress
	}

	if loc != nil {
		if ws, conf := l.fromPoint(loc.Lng, loc.Lat); len(ws) > 0 {
			ws, k := narrow(ws)
			if len(ws) == 1 {
				return decided(ws[0], conf*k, SourcePoint, "theo toạ độ bản đồ (map point)")
			}
			cand, candSrc = ws, SourcePoint
		}
	}

	if ws, conf := l.fromText(ft, false, 0.8, 0.7); len(ws) > 0 {
		ws, k := narrow(ws)
		if len(ws) == 1 {
			return decided(ws[0], conf*k, SourceText, "theo nội dung phản ánh (text)")
		}
		cand, candSrc = ws, SourceText
	}

	if len(cand) > 1 {
		codes := make([]string, len(cand))
		for i, w := range cand {
			codes[i] = l.wards[w].code
		}
		return Placement{Unclear: true, Source: candSrc,
			Reason: "nhiều phường có thể (several wards possible): " + strings.Join(codes, ", ")}
	}
	return Placement{Unclear: true, Reason: "không xác định được phường (no ward in field, address, point or text)"}
}

// dropParticleA blanks the polite particle "ạ" ("em ở An Lạc ạ"), which
// folds to "a" and would turn An Lạc into An Lạc A. No one writes a ward's
// letter with a dot below, so a word "ạ" is never that letter.
func dropParticleA(s string) string {
	if !strings.Contains(s, "ạ") && !strings.Contains(s, "Ạ") && !strings.Contains(s, "a\u0323") && !strings.Contains(s, "A\u0323") {
		return s
	}
	b := []byte(s)
	for i := 0; i < len(b); {
		n := 0
		switch {
		case strings.HasPrefix(s[i:], "ạ"), strings.HasPrefix(s[i:], "Ạ"):
			n = len("ạ")
		case strings.HasPrefix(s[i:], "a\u0323"), strings.HasPrefix(s[i:], "A\u0323"):
			n = len("a\u0323")
		}
		if n > 0 && !letterBefore(s, i) && !letterAt(s, i+n) {
			for k := i; k < i+n; k++ {
				b[k] = ' '
			}
		}
		i += max(n, 1)
	}
	return string(b)
}

// letterBefore and letterAt tell whether a letter or combining mark touches
// position i of s, i.e. whether a word goes on there.
func letterBefore(s string, i int) bool {
	if i == 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r)
}

func letterAt(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r)
}

// fromText reads a folded address or text: landmarks and ward names first,
// then streets. It returns the wards still possible (one when it decides)
// and the confidence of a decision by name or by street.
func (l *Locator) fromText(f string, inAddress bool, byName, byStreet float64) ([]int, float64) {
	if f == "" {
		return nil, 0
	}
	// A landmark is read first and taken out of the text, so that the ward
	// name inside "KCN Tân Tạo" does not count as the ward Tân Tạo.
	marks, f := l.scanLandmarks(f)
	named := l.scanNames(f, false)
	if len(marks) > 0 {
		return l.fromLandmarks(marks, named, f, inAddress, byName, byStreet)
	}
	if len(named) == 1 {
		return named, byName
	}
	ids := l.scanStreets(f, inAddress)
	if len(ids) == 0 {
		return named, byName
	}
	// The wards that have every street named: a corner of two streets, or a
	// street that runs through several wards and a name among them.
	var all []int
	for i, id := range ids {
		if i == 0 {
			all = append([]int(nil), l.streetWards[id]...)
			continue
		}
		all = intersect(all, l.streetWards[id])
	}
	if len(named) > 0 {
		if in := intersect(named, all); len(in) > 0 {
			return in, byStreet
		}
		return named, byName
	}
	if len(all) > 0 {
		return l.byKhuPho(all, ids, f), byStreet
	}
	// The streets disagree: trust those that lie in one ward only, if they agree.
	var unique []int
	for _, id := range ids {
		if ws := l.streetWards[id]; len(ws) == 1 && !containsInt(unique, ws[0]) {
			unique = append(unique, ws[0])
		}
	}
	if len(unique) == 1 {
		return unique, byStreet * 0.9
	}
	var union []int
	for _, id := range ids {
		for _, w := range l.streetWards[id] {
			if !containsInt(union, w) {
				union = append(union, w)
			}
		}
	}
	return union, byStreet
}

// fromLandmarks decides by the landmarks named in folded text f (with the
// landmarks taken out) and the wards named in it. A landmark is one place:
// it picks among the wards of the streets named with it, and a street that
// disagrees does not outweigh it. A ward written out wins over a landmark
// that disagrees, as a place near a ward's edge is named from both sides.
func (l *Locator) fromLandmarks(marks, named []int, f string, inAddress bool, byName, byStreet float64) ([]int, float64) {
	near, conf := wardsOf(marks, l.markWards), byStreet
	if len(named) > 0 {
		in := intersect(named, near)
		if len(in) == 0 {
			return named, byName
		}
		near, conf = in, byName
	}
	if len(near) > 1 {
		if ids := l.scanStreets(f, inAddress); len(ids) > 0 {
			if in := intersect(near, wardsOf(ids, l.streetWards)); len(in) > 0 {
				near = in
			}
		}
	}
	return near, conf
}

// byKhuPho narrows wards ws that all have the streets ids by the khu phố
// number in folded text f: "Mã Lò, kp 14" is the ward whose Khu phố 14
// lists Mã Lò. Without a number, or when no ward fits it, ws stays.
func (l *Locator) byKhuPho(ws, ids []int, f string) []int {
	n := kpNumber(f)
	if n == 0 || len(ws) < 2 {
		return ws
	}
	var in []int
	for _, w := range ws {
		for _, id := range ids {
			for _, r := range l.streetHoods[id] {
				if r.ward == w && l.wards[w].hoods[r.hood].num == n && !containsInt(in, w) {
					in = append(in, w)
				}
			}
		}
	}
	if len(in) == 0 {
		return ws
	}
	return in
}

// wardsOf returns the wards in which every one of ids (streets or
// landmarks) lies, or, when they have none in common, every ward that any
// of them lies in.
func wardsOf(ids []int, wards [][]int) []int {
	var all []int
	for i, id := range ids {
		if i == 0 {
			all = append([]int(nil), wards[id]...)
			continue
		}
		all = intersect(all, wards[id])
	}
	if len(all) > 0 {
		return all
	}
	for _, id := range ids {
		for _, w := range wards[id] {
			if !containsInt(all, w) {
				all = append(all, w)
			}
		}
	}
	return all
}

// scanLandmarks returns the ids of the landmarks named in folded text f,
// each once, and f with each of them replaced by a word that matches
// nothing. At each word the longest name wins. Text that names no landmark
// comes back as it is, without allocating.
func (l *Locator) scanLandmarks(f string) ([]int, string) {
	var (
		ids    []int
		masked []byte
	)
	for i := 0; i < len(f); {
		end := wordEnd(f, i)
		pats := l.marks[f[i:end]]
		best := -1
		for j, p := range pats {
			if hasWordPrefix(f[i:], p.text) && (best < 0 || len(p.text) > len(pats[best].text)) {
				best = j
			}
		}
		if best < 0 {
			i = end + 1
			continue
		}
		p := pats[best]
		if !containsInt(ids, p.id) {
			ids = append(ids, p.id)
		}
		if masked == nil {
			masked = []byte(f)
		}
		masked[i] = '#'
		for k := i + 1; k < i+len(p.text); k++ {
			masked[k] = ' '
		}
		i += len(p.text) + 1
	}
	if masked == nil {
		return nil, f
	}
	return ids, strings.Join(strings.Fields(string(masked)), " ")
}

// scanNames returns the wards named in folded text f, the most mentioned
// first; when two are mentioned equally often, all of them. At each word
// the longest name wins, so "an lac a" is An Lạc A and never An Lạc.
func (l *Locator) scanNames(f string, anywhere bool) []int {
	var counts []int
	prev := ""
	for i := 0; i < len(f); {
		end := wordEnd(f, i)
		best := -1
		for j, p := range l.names[f[i:end]] {
			if !hasWordPrefix(f[i:], p.text) || (best >= 0 && len(p.text) <= len(l.names[f[i:end]][best].text)) {
				continue
			}
			if p.short && !anywhere && !wardMarkers[prev] {
				continue
			}
			best = j
		}
		if best < 0 {
			prev = f[i:end]
			i = end + 1
			continue
		}
		p := l.names[f[i:end]][best]
		if counts == nil {
			counts = make([]int, len(l.wards))
		}
		counts[p.ward]++
		prev = lastWord(p.text)
		i += len(p.text) + 1
	}
	return topCounts(counts)
}

// scanStreets returns the ids of the streets named in folded text f, each
// once. A street that is also an everyday phrase ("Phan Anh", "Bình
// Thành") needs a street word or a house number before it, except at the
// start of an address (inAddress), where nothing else would stand.
func (l *Locator) scanStreets(f string, inAddress bool) []int {
	var ids []int
	prev := ""
	for i := 0; i < len(f); {
		end := wordEnd(f, i)
		pats := l.streets[f[i:end]]
		best := -1
		for j, p := range pats {
			if !hasWordPrefix(f[i:], p.text) || (best >= 0 && len(p.text) <= len(pats[best].text)) {
				continue
			}
			if p.common && !(inAddress && prev == "") && !streetMarkers[prev] && !isNumber(prev) {
				continue
			}
			best = j
		}
		if best < 0 {
			prev = f[i:end]
			i = end + 1
			continue
		}
		p := pats[best]
		if !containsInt(ids, p.id) {
			ids = append(ids, p.id)
		}
		prev = lastWord(p.text)
		i += len(p.text) + 1
	}
	return ids
}

// fromPoint returns the wards whose boundary holds the point, or the
// nearest one if the point lies just outside them all.
func (l *Locator) fromPoint(lng, lat float64) ([]int, float64) {
	if math.IsNaN(lng) || math.IsNaN(lat) || math.IsInf(lng, 0) || math.IsInf(lat, 0) || (lng == 0 && lat == 0) {
		return nil, 0
	}
	var in []int
	for i, w := range l.wards {
		if lng < w.minLng || lng > w.maxLng || lat < w.minLat || lat > w.maxLat {
			continue
		}
		if inRing(w.ring, lng, lat) {
			in = append(in, i)
		}
	}
	if len(in) > 0 {
		return in, 0.9
	}
	best, bestD := -1, nearDegrees
	for i, w := range l.wards {
		if d := ringDistance(w.ring, lng, lat); d < bestD {
			best, bestD = i, d
		}
	}
	if best < 0 {
		return nil, 0
	}
	return []int{best}, 0.6
}

// inRing is the even-odd ray casting test on a ring of [lng, lat].
func inRing(ring [][2]float64, x, y float64) bool {
	inside := false
	for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
		xi, yi, xj, yj := ring[i][0], ring[i][1], ring[j][0], ring[j][1]
		if (yi > y) != (yj > y) && x < (xj-xi)*(y-yi)/(yj-yi)+xi {
			inside = !inside
		}
	}
	return inside
}

// ringDistance is the distance in degrees from a point to a ring's edges;
// at this latitude a degree of longitude and of latitude differ by 2%.
func ringDistance(ring [][2]float64, x, y float64) float64 {
	d := math.Inf(1)
	for i := 1; i < len(ring); i++ {
		ax, ay, bx, by := ring[i-1][0], ring[i-1][1], ring[i][0], ring[i][1]
		dx, dy := bx-ax, by-ay
		t := 0.0
		if l2 := dx*dx + dy*dy; l2 > 0 {
			t = math.Max(0, math.Min(1, ((x-ax)*dx+(y-ay)*dy)/l2))
		}
		d = math.Min(d, math.Hypot(x-(ax+t*dx), y-(ay+t*dy)))
	}
	return d
}

// neighbourhood finds the khu phố in ward w: by its number after "kp" or
// "khu pho" in the address, then in the text; else by a landmark or, after
// it, a street that only one of the ward's neighbourhoods lists, in the
// address and then in the text.
func (l *Locator) neighbourhood(w int, fa, ft string) string {
	hoods := l.wards[w].hoods
	for _, f := range []string{fa, ft} {
		if n := kpNumber(f); n > 0 {
			for _, h := range hoods {
				if h.num == n {
					return h.code
				}
			}
		}
	}
	for i, f := range []string{fa, ft} {
		marks, f := l.scanLandmarks(f)
		if h, _ := l.hoodOf(w, marks, l.markHoods); h != "" {
			return h
		}
		h, conflict := l.hoodOf(w, l.scanStreets(f, i == 0), l.streetHoods)
		if conflict {
			return "" // two streets, two neighbourhoods
		}
		if h != "" {
			return h
		}
	}
	return ""
}

// hoodOf returns the one neighbourhood of ward w that ids (streets or
// landmarks, with refs their neighbourhoods) point at; "" when none does,
// and conflict when two point at different ones. An id listed in several
// of the ward's neighbourhoods (a long street) points at none.
func (l *Locator) hoodOf(w int, ids []int, refs [][]hoodRef) (code string, conflict bool) {
	hoods := l.wards[w].hoods
	for _, id := range ids {
		h, n := "", 0
		for _, r := range refs[id] {
			if r.ward == w {
				h, n = hoods[r.hood].code, n+1
			}
		}
		if n != 1 {
			continue
		}
		if code != "" && code != h {
			return "", true
		}
		code = h
	}
	return code, false
}

// kpNumber reads the first neighbourhood number in folded text: "kp 3",
// "kp3", "khu pho 3", "khu pho so 3", "k p 3".
func kpNumber(f string) int {
	words := strings.Fields(f)
	for i, w := range words {
		rest := words[i+1:]
		switch {
		case w == "kp" || (w == "k" && len(rest) > 0 && rest[0] == "p"):
			if w == "k" {
				rest = rest[1:]
			}
		case w == "khu" && len(rest) > 0 && rest[0] == "pho":
			rest = rest[1:]
		case strings.HasPrefix(w, "kp") && isNumber(w[2:]):
			return atoiSmall(w[2:])
		default:
			continue
		}
		if len(rest) > 0 && rest[0] == "so" {
			rest = rest[1:]
		}
		if len(rest) > 0 && isNumber(rest[0]) {
			return atoiSmall(rest[0])
		}
	}
	return 0
}

func trailingNumber(f string) int {
	if w := lastWord(f); isNumber(w) {
		return atoiSmall(w)
	}
	return 0
}

func atoiSmall(s string) int {
	if len(s) > 4 {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return n
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// wordEnd returns the index of the space after the word starting at i, or len(f).
func wordEnd(f string, i int) int {
	if j := strings.IndexByte(f[i:], ' '); j >= 0 {
		return i + j
	}
	return len(f)
}

func firstWord(f string) string { return f[:wordEnd(f, 0)] }

func lastWord(f string) string { return f[strings.LastIndexByte(f, ' ')+1:] }

// hasWordPrefix reports whether folded s starts with the folded phrase p
// followed by the end or a space.
func hasWordPrefix(s, p string) bool {
	return strings.HasPrefix(s, p) && (len(s) == len(p) || s[len(p)] == ' ')
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func intersect(a, b []int) []int {
	var out []int
	for _, x := range a {
		if containsInt(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// topCounts returns the indices with the highest count (all of them on a tie).
func topCounts(counts []int) []int {
	top := 0
	for _, c := range counts {
		top = max(top, c)
	}
	if top == 0 {
		return nil
	}
	var out []int
	for i, c := range counts {
		if c == top {
			out = append(out, i)
		}
	}
	return out
}
