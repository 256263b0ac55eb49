package router

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Fold reduces text to the form that keywords, ward names and street names
// are written in: lower case, Vietnamese diacritics removed (đ becomes d),
// every run of punctuation, symbols, spaces, control bytes and invalid UTF-8
// made a single space, and no space at either end. Letters and digits of
// other scripts are kept, lower-cased. Fold is idempotent and its result is
// always valid UTF-8.
//
// Citizens write with and without diacritics, in precomposed (NFC) and
// decomposed (NFD) form alike, so both must fold to the same words: combining
// marks are dropped rather than composed.
//
// Text that is already folded is returned as it is, without allocating; any
// other text costs one allocation (two in the rare case that lower-casing a
// letter of another script makes the text longer than it was).
func Fold(s string) string { return fold(s, false) }

// clauseMark is the word foldClauses writes where a clause ends. No keyword
// holds it, so no phrase runs across it.
const clauseMark = ","

// foldClauses folds s as Fold does, but writes clauseMark as a word of its
// own where punctuation ends a clause (, ; : . ! ? … brackets and line
// breaks), so that "ổ gà, rác" is not read as one phrase "ga rac". A comma
// or full stop between two digits ("1,5 m", "2.000") ends nothing.
func foldClauses(s string) string { return fold(s, true) }

// What separates a word from the one before it.
const (
	noGap = iota
	spaceGap
	clauseGap
)

func fold(s string, clauses bool) string {
	if isFolded(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	gap := noGap // since the last word character
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			default:
				gap = widenGap(gap, clauses && endsClause(c) && !betweenDigits(s, i-1))
				continue
			}
			if gap != noGap {
				writeGap(&b, gap)
				gap = noGap
			}
			b.WriteByte(c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if size == 1 { // invalid UTF-8
			gap = widenGap(gap, false)
			continue
		}
		// Fullwidth ASCII, as some phone keyboards type it, folds to ASCII.
		if 0xFF01 <= r && r <= 0xFF5E {
			r -= 0xFF01 - '!'
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				gap = widenGap(gap, clauses && endsClause(byte(r)))
				continue
			}
		}
		// Vietnamese letters, in either case, are in the tables; only other
		// letters need the slower case mapping (which also turns the
		// Ångström sign into å, itself in the tables).
		a := foldLatin(r)
		if a == 0 {
			if 0x300 <= r && r <= 0x36F { // the combining marks Vietnamese uses
				continue
			}
			r = unicode.ToLower(r)
			a = foldLatin(r)
		}
		if a != 0 {
			if gap != noGap {
				writeGap(&b, gap)
				gap = noGap
			}
			b.WriteByte(a)
			continue
		}
		switch {
		case unicode.Is(unicode.M, r):
			// A combining mark (tone, breve, circumflex, horn, dot below…)
			// belongs to the letter before it: dropping it leaves that letter
			// bare and does not split the word.
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if gap != noGap {
				writeGap(&b, gap)
				gap = noGap
			}
			b.WriteRune(r)
		default:
			gap = widenGap(gap, clauses && (r == '…' || r == '。' || r == '\u2028' || r == '\u2029'))
		}
	}
	return b.String()
}

// widenGap returns the gap after one more separator, which ends a clause or not.
func widenGap(gap int, clause bool) int {
	if clause {
		return clauseGap
	}
	return max(gap, spaceGap)
}

// writeGap writes the separator before a word, none before the first.
func writeGap(b *strings.Builder, gap int) {
	if b.Len() == 0 {
		return
	}
	b.WriteByte(' ')
	if gap == clauseGap {
		b.WriteString(clauseMark + " ")
	}
}

// endsClause reports whether the ASCII punctuation c ends a clause.
func endsClause(c byte) bool {
	switch c {
	case ',', '.', ';', ':', '!', '?', '(', ')', '[', ']', '\n', '\r':
		return true
	}
	return false
}

// betweenDigits reports whether s[i] stands between two digits, as the
// comma of "1,5" or the full stop of "2.000" do.
func betweenDigits(s string, i int) bool {
	return i > 0 && i+1 < len(s) && '0' <= s[i-1] && s[i-1] <= '9' && '0' <= s[i+1] && s[i+1] <= '9'
}

// isFolded reports whether s is already in folded form and ASCII, the
// common case for text that has been folded before and for keywords.
func isFolded(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	prevSpace := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			prevSpace = false
		case c == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		default:
			return false
		}
	}
	return true
}

// foldLatin returns the bare ASCII letter of a lower-case Latin letter with
// diacritics, or 0 if r is not one. Vietnamese needs Latin-1, a few letters
// of Latin Extended-A and -B (ă đ ĩ ũ ơ ư) and the Vietnamese block of Latin
// Extended Additional; the rest of those blocks comes cheaply with them.
func foldLatin(r rune) byte {
	var c byte
	switch {
	case r < 0xC0:
		return 0
	case r <= 0xFF:
		c = latin1[r-0xC0]
	case r <= 0x17F:
		c = latinExtA[r-0x100]
	case r == 0x256 || r == 0x257:
		c = 'd' // African d (ɖ, the lower case of Ɖ) and ɗ, typed for đ by mistake
	case r == 0x1A0 || r == 0x1A1:
		c = 'o' // ơ
	case r == 0x1AF || r == 0x1B0:
		c = 'u' // ư
	case 0x1E00 <= r && r <= 0x1EFF:
		c = latinExtAdditional(r)
	default:
		return 0
	}
	if c == '.' {
		return 0
	}
	return c
}

// latin1 maps U+00C0..U+00FF; '.' marks letters left as they are (æ, þ, ß)
// and the two symbols (× ÷), which are not letters.
const latin1 = "aaaaaa.ceeeeiiiidnooooo.ouuuuy.." +
	"aaaaaa.ceeeeiiiidnooooo.ouuuuy.y"

// latinExtA maps U+0100..U+017F.
const latinExtA = "aaaaaa" + "cccccccc" + "dddd" + "eeeeeeeeee" + "gggggggg" + "hhhh" +
	"iiiiiiiiii" + ".." + "jj" + "kk" + "." + "llllllllll" + "nnnnnn" + "." + ".." +
	"oooooo" + ".." + "rrrrrr" + "ssssssss" + "tttttt" + "uuuuuuuuuuuu" + "ww" + "yyy" +
	"zzzzzz" + "s"

// latinExtAdditional maps U+1E00..U+1EFF. U+1EA0..U+1EF9 are the Vietnamese
// letters with tones, in upper/lower pairs grouped by base vowel.
func latinExtAdditional(r rune) byte {
	switch {
	case r < 0x1EA0:
		return latinExtAdditionalLow[r-0x1E00]
	case r < 0x1EB8:
		return 'a'
	case r < 0x1EC8:
		return 'e'
	case r < 0x1ECC:
		return 'i'
	case r < 0x1EE4:
		return 'o'
	case r < 0x1EF2:
		return 'u'
	case r < 0x1EFA:
		return 'y'
	}
	return 0
}

// latinExtAdditionalLow maps U+1E00..U+1E9F, letters of other languages
// written in Latin script: mostly upper/lower pairs, then ten single letters.
const latinExtAdditionalLow = "aa" + "bbbbbb" + "cc" + "dddddddddd" + "eeeeeeeeee" + "ff" + "gg" +
	"hhhhhhhhhh" + "iiii" + "kkkkkk" + "llllllll" + "mmmmmm" + "nnnnnnnn" + "oooooooo" +
	"pppp" + "rrrrrrrr" + "ssssssssss" + "tttttttt" + "uuuuuuuuuu" + "vvvv" + "wwwwwwwwww" +
	"xxxx" + "yy" + "zzzzzz" + "htwyasss.."
