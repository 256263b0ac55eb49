package router

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"pakn.local/services/internal/feedback"
)

// Classification is what the classifier made of an item's subject.
type Classification struct {
	Category   string  // a category code; empty when Unclear
	Confidence float64 // 0..1
	Unclear    bool    // nothing clear matched, or two categories came too close (see decide)
	Reason     string  // short, for the official who settles an unclear item
}

// Classifier picks a category from an item's text by keyword phrases. It is
// built once from the organisation's categories and is safe for concurrent
// use: Classify reads it and never changes it.
type Classifier struct {
	cats    []classCat
	byHead  map[string]headEntry // head of a phrase (see head) → phrases with that head
	hints   map[string]int       // folded code, name, English name or part of one → category
	other   int                  // index of the catch-all category, or -1
	longest int                  // bytes in the longest phrase
	phrases int                  // number of phrases
}

type classCat struct {
	code string
}

// headEntry holds the phrases filed under a head, and for a head of one
// word whether phrases of two words or more start with it: if none does,
// the classifier need not look the next two words up.
type headEntry struct {
	phrases []phrase
	longer  bool
}

type phrase struct {
	text    string // folded, words separated by one space
	id      int    // distinct per phrase and category; shared by its shorthand forms
	cat     int    // index of its category, or neutralCat, announceCat or compoundCat
	weight  float64
	context bool // says where or who, not what: counts for less and decides nothing alone
	words   int  // words in text
}

// neutralPhrases are everyday phrases that share words with keywords but
// say nothing of the subject: "nhà hàng xóm" (the neighbour's house) is not
// a "nhà hàng" (restaurant), "hồ sơ đề nghị" (a file of requests) holds no
// "số đề" (the lottery), "nứt đường ống" (a cracked pipe) no "nứt đường" (a
// cracked road). A keyword inside one of them, or running into one, does
// not count (see claimed).
var neutralPhrases = []string{"nha hang xom", "de nghi", "duong ong"}

// compounds are words that belong together, whatever keyword one of them
// would start or end once the diacritics are gone: the "cây" of "trái cây"
// (fruit) or "cây số" (a kilometre) is no tree, the house of "trước nhà"
// (in front of the house) only says where, the "công" of "công nhân" (a
// worker), "công an" (the police) or "công dân" (a citizen) is no "cống"
// (a drain), and "Cây Cám" is a street of the district. A keyword that
// runs into one, or starts inside it, does not count: "trái cây đậu kín"
// is fruit stalls parked, not a "cây dầu"; "không thấy công nhân quét" is
// no "thay cống" (a drain replaced), "công an vào cuộc" no "ăn vào" (ate)
// and "góc Cây Cám" no "gốc cây" (a tree's foot); in "cột điện trước nhà
// bị nghiêng" the pole leans, not the house ("nhà bị nghiêng"). One that
// holds it whole does ("bán trái cây", "công an phường").
var compounds = []string{
	"trai cay", "cay so", "truoc nha", "sau nha",
	"cong nhan", "cong an", "cong dan", "cong ty", "cong viec", "cong chuc",
	"cay cam",
}

// announcePhrases say that a message holds several problems: "xin phản
// ánh nhiều việc", "đường số 4 có mấy chuyện", "góp ý chung", "phản ánh
// tổng hợp". With keywords of two categories or more that say what is
// wrong, or of three that say anything, the item is unclear: a person
// should split it between the offices.
var announcePhrases = []string{
	"nhieu viec", "may viec", "vai viec", "cac viec sau", "nhieu chuyen", "may chuyen", "vai chuyen",
	"du chuyen", "nhieu van de", "may van de", "vai van de", "mot so van de", "cac van de", "nhung van de",
	"van de khac", "nhieu bat cap", "may bat cap", "cac bat cap", "nhieu kien nghi", "mot so kien nghi",
	"cac kien nghi", "gop y chung", "phan anh chung", "phan anh tong hop", "tong hop y kien", "y kien tong hop",
	"tong hop cac van de", "thu nhat", "mot la",
}

// Categories of the phrases that belong to none.
const (
	neutralCat  = -1 // a neutral phrase (see neutralPhrases)
	announceCat = -2 // a phrase that announces a list (see announcePhrases)
	compoundCat = -3 // a compound (see compounds)
)

// shorthands are the ways citizens shorten or respell words when they type
// fast, in southern speech or without a keyboard that writes tones ("ko" and
// "hông" for "không", "dc" for "được", "wa" for "quá", "vô" for "vào", "kp"
// for "khu phố", "kí" for "ký"), and the north's words for the south's
// ("hỏng" for "hư"). A keyword matches in any of these forms, so the keyword
// lists hold each phrase once, in its full form.
var shorthands = []struct {
	long  string
	short []string
}{
	{"khong", []string{"ko", "k", "kh", "khg", "hok", "hong"}},
	{"duoc", []string{"dc", "dk"}},
	{"qua", []string{"wa", "qa"}},
	{"nuoc", []string{"nc"}},
	{"nguoi", []string{"ng"}},
	{"truoc", []string{"trc"}},
	{"vao", []string{"vo", "zo", "dzo"}},
	{"voi", []string{"vs"}},
	{"gi", []string{"j"}},
	{"ky", []string{"ki"}},
	{"ly", []string{"li"}},
	{"my", []string{"mi"}},
	{"dang ky", []string{"dky", "dk"}},
	{"khu pho", []string{"kp"}},
	{"cong ty", []string{"cty"}},
	{"dien thoai", []string{"dt", "dthoai"}},
	{"o to", []string{"oto"}},
	{"xe buyt", []string{"xe bus"}},
	{"hu", []string{"hong"}}, // "hỏng", as the north says "hư"
}

// maxForms bounds the forms of one keyword (itself and its shorthands).
const maxForms = 16

// forms returns the folded keyword f and the forms it takes with
// shorthands, f first.
func forms(f string) []string {
	out := []string{f}
	for i := 0; i < len(out) && len(out) < maxForms; i++ {
		s := out[i]
		for pos := 0; pos < len(s); pos = wordEnd(s, pos) + 1 {
			for _, sh := range shorthands {
				if !hasWordPrefix(s[pos:], sh.long) {
					continue
				}
				for _, short := range sh.short {
					v := s[:pos] + short + s[pos+len(sh.long):]
					if len(out) < maxForms && !slices.Contains(out, v) {
						out = append(out, v)
					}
				}
			}
		}
	}
	return out
}

// The code of the catch-all category. A citizen picks "Khác" when no
// category seems to fit, so that hint yields to a clear reading of the text.
const otherCategory = "khac"

// listWord joins problems of equal weight: "vừa tối, vừa ngập, vừa đầy
// rác" (at once dark, flooded and full of garbage). Said twice, with
// keywords of two categories or more, it makes the item unclear: each
// problem is for a different office, and a person should split the item.
const listWord = "vua"

// notListing are the words after which "vừa" means "just" or "enough"
// ("tuần vừa qua", "vừa mới", "vừa đủ") and lists nothing.
var notListing = []string{"qua", "roi", "moi", "xong", "du", "phai", "y"}

// Thresholds of a decision, in phrase weight (one word weighs 1).
const (
	// minMargin is how far ahead the best category must be of the second.
	minMargin = 1.0
	// maxRatio is the largest share of the best score the second may reach.
	maxRatio = 0.75
	// hintWeight multiplies matches in a hint that names no category: the
	// citizen chose those words to say what the item is about.
	hintWeight = 2.0
	// leadWords and leadBonus: phrases among the first leadWords words
	// weigh up to 1+leadBonus times as much, falling to 1 at leadWords.
	leadWords = 30
	leadBonus = 0.5
	// contextWeight multiplies the weight of a context keyword: "vỉa hè"
	// says where a broken drain cover is, not that the sidewalk is taken.
	// A category that only context keywords point to counts contextWeight
	// times again against the others, and cannot win against any of them.
	contextWeight = 0.5
	// minLeaders is how many categories must each lead a clause of their
	// own for a text to be a list of problems: "cống nghẹt, cây gãy cành,
	// đèn chớp tắt, chủ trọ xây lấn ra hẻm". A text about one problem
	// mentions a second in passing, rarely a third in a clause of its own.
	minLeaders = 3
	// minContexts is how many context keywords decide alone, when no other
	// category has a keyword at all: "tiệm bánh kem … hết hạn" has two,
	// both for food safety; "cán bộ phường" alone is not enough.
	minContexts = 2
)

// NewClassifier folds the categories' names and keywords once, so that
// Classify folds only the item's own text.
func NewClassifier(cats []feedback.Category) *Classifier {
	c := &Classifier{byHead: make(map[string]headEntry), hints: make(map[string]int), other: -1}
	ambiguous := make(map[string]bool)
	seen := make(map[string]map[int]bool)
	for _, l := range []struct {
		cat  int
		list []string
	}{{neutralCat, neutralPhrases}, {announceCat, announcePhrases}, {compoundCat, compounds}} {
		for _, n := range l.list {
			c.file(phrase{text: n, id: c.phrases, cat: l.cat, words: strings.Count(n, " ") + 1})
			c.phrases++
			c.longest = max(c.longest, len(n))
		}
	}
	for _, cat := range cats {
		i := len(c.cats)
		c.cats = append(c.cats, classCat{code: cat.Code})
		for _, n := range hintForms(cat) {
			if j, ok := c.hints[n]; ok && j != i || ambiguous[n] {
				delete(c.hints, n) // two categories answer to it: it names neither
				ambiguous[n] = true
				continue
			}
			c.hints[n] = i
		}
		if cat.Code == otherCategory {
			c.other = i
		}
		for j, list := range [][]string{cat.Keywords, cat.ContextKeywords} {
			for _, k := range list {
				f := Fold(k)
				if f == "" || seen[f][i] {
					continue
				}
				// A phrase weighs one per word: "den chieu sang khong sang" says
				// more about the subject than "den" or "sang" alone.
				p := phrase{id: c.phrases, cat: i, weight: float64(strings.Count(f, " ") + 1), context: j == 1}
				if p.context {
					p.weight *= contextWeight
				}
				c.phrases++
				for _, v := range forms(f) {
					if seen[v][i] { // an earlier keyword, or a form of one
						continue
					}
					if seen[v] == nil {
						seen[v] = make(map[int]bool)
					}
					seen[v][i] = true
					p.text, p.words = v, strings.Count(v, " ")+1
					c.file(p)
					c.longest = max(c.longest, len(v))
				}
			}
		}
	}
	return c
}

// file files p under its head.
func (c *Classifier) file(p phrase) {
	h := head(p.text)
	e := c.byHead[h]
	e.phrases = append(e.phrases, p)
	c.byHead[h] = e
	if p.words > 1 {
		w := firstWord(h)
		e := c.byHead[w]
		e.longer = true
		c.byHead[w] = e
	}
}

// head returns the first two words of a folded phrase, or its only word:
// the key under which the classifier files it. Two words narrow the phrases
// to try at a place of the text to a handful, where one ("cay", "nuoc")
// would leave scores of them.
func head(f string) string {
	if i := strings.IndexByte(f, ' '); i >= 0 {
		return f[:wordEnd(f, i+1)]
	}
	return f
}

// hintForms returns the folded forms a hint may take for a category: its
// code, name and English name, and the parts of a name that lists several
// subjects ("Ngập nước, thoát nước" answers to "ngap nuoc" and "thoat nuoc").
func hintForms(cat feedback.Category) []string {
	var out []string
	for _, n := range []string{cat.Code, cat.Name, cat.NameEN} {
		out = append(out, Fold(n))
		parts := strings.FieldsFunc(n, func(r rune) bool { return strings.ContainsRune(",;/()", r) })
		for _, p := range parts {
			for _, q := range strings.Split(Fold(p), " va ") {
				for _, q := range strings.Split(q, " and ") {
					out = append(out, q)
				}
			}
		}
	}
	return slices.DeleteFunc(out, func(s string) bool { return s == "" })
}

// Classify reads the item's text and the category hint the channel or the
// citizen gave. A hint that names a category (by code, name or English name,
// with or without diacritics) decides at once; otherwise keyword phrases
// found on word boundaries are weighed (see score), and the best category
// wins if it is clearly ahead of the second. A hint that names no category
// is read like the text, its phrases counting double.
func (c *Classifier) Classify(text, hint string) Classification {
	if c == nil || len(c.cats) == 0 {
		return Classification{Unclear: true, Reason: "chưa có danh mục lĩnh vực (no categories)"}
	}
	fh := Fold(hint)
	hinted := -1
	if fh != "" {
		hinted = c.hinted(fh)
	}
	if hinted >= 0 && hinted != c.other {
		return Classification{Category: c.cats[hinted].code, Confidence: 1, Reason: "lĩnh vực do người gửi chọn (hint)"}
	}

	var buf [16]float64
	var evBuf [16]evidence
	var scores []float64
	var ev []evidence
	if len(c.cats) <= len(buf) {
		scores, ev = buf[:len(c.cats)], evBuf[:len(c.cats)]
	} else {
		scores, ev = make([]float64, len(c.cats)), make([]evidence, len(c.cats))
	}
	sh := c.score(foldClauses(text), 1, scores, ev)
	if fh != "" && hinted < 0 {
		c.score(fh, hintWeight, scores, ev)
	}
	res := c.decide(scores, ev, sh)
	if hinted >= 0 { // the hint was "other"
		if !res.Unclear && res.best != c.other {
			res.Reason = "người gửi chọn \"Khác\" nhưng nội dung rõ lĩnh vực (text overrides the \"other\" hint)"
			return res.Classification
		}
		return Classification{Category: c.cats[hinted].code, Confidence: 1, Reason: "lĩnh vực do người gửi chọn (hint)"}
	}
	return res.Classification
}

// hinted returns the category a folded hint names, or -1.
func (c *Classifier) hinted(fh string) int {
	if i, ok := c.hints[fh]; ok {
		return i
	}
	return -1
}

// score adds the weight of the phrases found in the folded text f. A phrase
// whose words a longer one takes does not count again ("bien bao giao
// thong" is one sign, not also "bien bao" and "giao thong"; see claimed);
// two phrases of one category that share words both count, their shared
// words once ("rễ cây xà cừ" weighs four words, "rễ cây" and "cây xà cừ";
// "cắt tỉa cành" three, "cắt tỉa" and "tỉa cành"); and a phrase counts
// once however often it is repeated: a citizen who writes "ngập" five
// times is no surer of the subject than one who writes it once. ev records,
// per category, what kind of phrases were counted and whether the category
// leads a clause of f (see clauseMark). score returns what it learnt of
// the shape of the text.
func (c *Classifier) score(f string, mult float64, scores []float64, ev []evidence) (sh shape) {
	var buf [64]match
	ms := buf[:0]
	// Vietnamese puts the topic first, and the router reads the title before
	// the content: a phrase among the first words weighs up to half again.
	clause := 0
	for i, w := 0, 0; i < len(f); w++ {
		end := strings.IndexByte(f[i:], ' ')
		if end < 0 {
			end = len(f)
		} else {
			end += i
		}
		if f[i:end] == clauseMark {
			i, w = end+1, w-1
			clause++
			continue
		}
		if f[i:end] == listWord && (end == len(f) || !slices.Contains(notListing, f[end+1:wordEnd(f, end+1)])) {
			sh.vua++
		}
		e := c.byHead[f[i:end]]
		for k := range e.phrases { // phrases of one word
			ms = append(ms, match{start: i, end: end, lead: max(0, leadWords-w), clause: clause, p: &e.phrases[k]})
		}
		if e.longer && end < len(f) {
			end2 := wordEnd(f, end+1)
			ps := c.byHead[f[i:end2]].phrases
			for k := range ps { // of two words or more
				if p := &ps[k]; hasWordPrefix(f[i:], p.text) {
					ms = append(ms, match{start: i, end: i + len(p.text), lead: max(0, leadWords-w), clause: clause, p: p})
				}
			}
		}
		i = end + 1
	}
	var seenBuf [32]int
	seen := seenBuf[:0] // ids of phrases counted
	var endsBuf [16]int
	var ends []int // per category, where the last phrase counted for it ends in f
	if len(scores) <= len(endsBuf) {
		ends = endsBuf[:len(scores)]
	} else {
		ends = make([]int, len(scores))
	}
	var seenMap map[int]bool
	clause = 0
	for i, m := range ms {
		if m.clause != clause {
			leadClause(ev)
			clause = m.clause
		}
		if m.p.cat == announceCat {
			sh.announced = true
		}
		if m.p.cat < 0 || claimed(ms, i, c.longest) {
			continue
		}
		if seenMap != nil {
			if seenMap[m.p.id] {
				continue
			}
			seenMap[m.p.id] = true
		} else {
			if slices.Contains(seen, m.p.id) {
				continue
			}
			if len(seen) == cap(seen) {
				seenMap = make(map[int]bool, 2*len(seen))
				for _, id := range seen {
					seenMap[id] = true
				}
				seenMap[m.p.id] = true
			} else {
				seen = append(seen, m.p.id)
			}
		}
		w := m.p.weight * mult
		if e := ends[m.p.cat]; e > m.start {
			// It shares words with the last phrase counted for its category
			// ("rễ cây" and "cây xà cừ", "cắt tỉa" and "tỉa cành"): only its
			// words beyond that one count, as a reader reads a word once.
			shared := strings.Count(f[m.start:min(e, m.end)], " ") + 1
			w *= float64(max(0, m.p.words-shared)) / float64(m.p.words)
		}
		ends[m.p.cat] = max(ends[m.p.cat], m.end)
		scores[m.p.cat] += w * (1 + leadBonus*float64(m.lead)/leadWords)
		if m.p.context {
			ev[m.p.cat].contexts++
		} else {
			ev[m.p.cat].subject = true
			ev[m.p.cat].inClause += w // wherever the clause is
		}
	}
	leadClause(ev)
	return sh
}

// shape is what score learnt of how a text is put together.
type shape struct {
	vua       int  // how many times it says "vừa" (see listWord)
	announced bool // it announces several problems (see announcePhrases)
}

// leadClause marks the category with the most subject weight in the clause
// just read (ev's inClause) as leading one, none if two have as much, and
// clears inClause for the next clause.
func leadClause(ev []evidence) {
	best, tie := -1, false
	for i := range ev {
		switch {
		case ev[i].inClause <= 0:
		case best < 0 || ev[i].inClause > ev[best].inClause:
			best, tie = i, false
		case ev[i].inClause == ev[best].inClause:
			tie = true
		}
	}
	if best >= 0 && !tie {
		ev[best].leads = true
	}
	for i := range ev {
		ev[i].inClause = 0
	}
}

// holds reports whether m spans all of o.
func (m match) holds(o match) bool { return m.start <= o.start && o.end <= m.end }

type match struct {
	start, end int
	lead       int     // leadWords less the words before the match, at least 0
	clause     int     // clauses before the match (see clauseMark)
	p          *phrase // in byHead, which Classify never changes
}

// claimed reports whether another match takes the words of ms[i]: a
// longer one that holds it ("bien bao giao thong" holds "giao thong"); one
// of more words and of another category that shares some of its words, as
// a reader splits "hoàn cảnh khó khăn" (hardship), not "cành khô" (a dry
// branch), while two phrases of one category both count (see score); or a
// neutral phrase that starts among its words, as "đề nghị" (to request)
// begins a new thought wherever it is: "hồ sơ đề nghị" holds no "số đề"
// (the lottery). Matches are in order of start, and no phrase is longer
// than maxLen bytes, so only the neighbours of ms[i] need a look.
func claimed(ms []match, i, maxLen int) bool {
	m := ms[i]
	for j := i - 1; j >= 0 && ms[j].start > m.start-maxLen; j-- {
		o := ms[j]
		switch {
		case o.end <= m.start, o.p.cat == announceCat: // no word in common, or says nothing of the subject
		case o.p.cat == compoundCat && !m.holds(o):
			return true
		case o.end >= m.end && o.end-o.start > m.end-m.start:
			return true
		case o.p.words > m.p.words && o.p.cat != m.p.cat:
			return true
		}
	}
	for j := i + 1; j < len(ms) && ms[j].start < m.end; j++ {
		o := ms[j]
		if o.p.cat == announceCat {
			continue
		}
		if o.p.cat == compoundCat && !m.holds(o) {
			return true
		}
		if o.start == m.start && o.end > m.end || o.p.words > m.p.words && o.p.cat != m.p.cat || o.p.cat == neutralCat && o.start > m.start {
			return true
		}
	}
	return false
}

type decision struct {
	Classification
	best int
}

// decide turns scores into a decision: the best category, with a
// confidence that grows with its lead over the second and with the weight of
// evidence, or Unclear when nothing matched, the two are too close, the
// best has only context keywords (it says where, not what is wrong) and
// not enough of them to stand alone, or the text lists several problems
// of more than one category: "vừa … vừa …", a list it announces (see
// announcePhrases), or clauses led by minLeaders categories.
func (c *Classifier) decide(scores []float64, ev []evidence, sh shape) decision {
	best, second := -1, -1
	for i, s := range scores {
		if !ev[i].subject {
			// Only where or who: a weak rival, never a winner.
			s *= contextWeight
			scores[i] = s
		}
		switch {
		case s <= 0:
		case best < 0 || s > scores[best]:
			best, second = i, best
		case second < 0 || s > scores[second]:
			second = i
		}
	}
	if best < 0 {
		return decision{best: -1, Classification: Classification{Unclear: true,
			Reason: "không thấy từ khoá lĩnh vực nào (no keyword matched)"}}
	}
	b := scores[best]
	s := 0.0
	if second >= 0 {
		s = scores[second]
	}
	if s > 0 && (b-s < minMargin || s > maxRatio*b) {
		return decision{best: -1, Classification: Classification{Unclear: true,
			Reason: "hai lĩnh vực ngang nhau (too close): " + c.scoreText(best, b, second, s)}}
	}
	if sh.vua >= 2 && subjects(ev) >= 2 || sh.announced && (subjects(ev) >= 2 || mentioned(ev) >= 3) || leaders(ev) >= minLeaders {
		return decision{best: -1, Classification: Classification{Unclear: true,
			Reason: "nêu nhiều vấn đề khác lĩnh vực (several problems): " + c.scoreText(best, b, second, s)}}
	}
	if !ev[best].subject && (second >= 0 || ev[best].contexts < minContexts) {
		return decision{best: -1, Classification: Classification{Unclear: true,
			Reason: "chỉ có từ khoá ngữ cảnh, không rõ vấn đề (only context keywords): " + c.scoreText(best, b, second, s)}}
	}
	conf := (b - s) / b * (1 - math.Exp(-b/2))
	return decision{best: best, Classification: Classification{Category: c.cats[best].code, Confidence: conf,
		Reason: "theo từ khoá trong nội dung (keywords): " + c.scoreText(best, b, second, s)}}
}

// evidence is what was found for a category: a keyword that says what is
// wrong, and how many context keywords.
type evidence struct {
	subject  bool
	contexts int
	leads    bool    // it has the most subject weight in some clause
	inClause float64 // subject weight in the clause being read
}

// leaders counts the categories that lead a clause.
func leaders(ev []evidence) int {
	n := 0
	for _, e := range ev {
		if e.leads {
			n++
		}
	}
	return n
}

// mentioned counts the categories with a keyword of any kind.
func mentioned(ev []evidence) int {
	n := 0
	for _, e := range ev {
		if e.subject || e.contexts > 0 {
			n++
		}
	}
	return n
}

// subjects counts the categories with a keyword that says what is wrong.
func subjects(ev []evidence) int {
	n := 0
	for _, e := range ev {
		if e.subject {
			n++
		}
	}
	return n
}

// scoreText shows the two best scores, for whoever reads the reason.
func (c *Classifier) scoreText(best int, b float64, second int, s float64) string {
	out := c.cats[best].code + " " + strconv.FormatFloat(b, 'f', 1, 64)
	if second >= 0 {
		out += ", " + c.cats[second].code + " " + strconv.FormatFloat(s, 'f', 1, 64)
	}
	return out
}
