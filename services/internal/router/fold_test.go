package router_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"pakn.local/services/internal/router"
)

func TestFold(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"already folded", "duong ten lua", "duong ten lua"},
		{"upper ascii", "QUOC LO 1A", "quoc lo 1a"},
		{"precomposed", "Đường Tên Lửa bị ngập", "duong ten lua bi ngap"},
		{"decomposed", "Đu\u031bo\u031b\u0300ng Te\u0302n Lu\u031b\u0309a", "duong ten lua"},
		{"decomposed tone after base", "ngạ\u0302p", "ngap"},
		{"every vowel lower",
			"àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ",
			"aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd"},
		{"every vowel upper",
			"ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ",
			"aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd"},
		{"punctuation and spaces", "  P.BTĐ-B,   Q.Bình Tân!!  ", "p btd b q binh tan"},
		{"house number", "123/45A Tên Lửa", "123 45a ten lua"},
		{"newlines and tabs", "ổ gà\n\tổ voi", "o ga o voi"},
		{"only punctuation", "!!! ... ??? --- ///", ""},
		{"invalid utf8", "ng\xffap\xc3", "ng ap"},
		{"nul", "a\x00b", "a b"},
		{"fullwidth", "ＫＰ３", "kp3"},
		{"icelandic eth for đ", "Ðường", "duong"},
		{"other scripts kept", "Пожар 火事", "пожар 火事"},
		{"emoji is a separator", "ngập😡quá", "ngap qua"},
		{"lone combining mark", "\u0301", ""},
		{"angstrom sign", "\u212B", "a"},
		{"kelvin sign", "\u212A", "k"},
		{"latin-1 symbols", "×÷", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := router.Fold(tt.in); got != tt.want {
				t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFoldLong(t *testing.T) {
	in := strings.Repeat("Đường Tên Lửa ngập nước! ", 4096) // about 120 KB
	got := router.Fold(in)
	want := strings.TrimSpace(strings.Repeat("duong ten lua ngap nuoc ", 4096))
	if got != want {
		t.Fatalf("Fold of 100 KB: got %d bytes, want %d", len(got), len(want))
	}
}

func TestFoldAllocations(t *testing.T) {
	folded := "duong ten lua bi ngap"
	if n := testing.AllocsPerRun(100, func() { router.Fold(folded) }); n != 0 {
		t.Errorf("Fold of folded text: %v allocations, want 0", n)
	}
	raw := "Đường Tên Lửa bị ngập, ổ gà khắp nơi."
	if n := testing.AllocsPerRun(100, func() { router.Fold(raw) }); n > 1 {
		t.Errorf("Fold: %v allocations, want at most 1", n)
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"", "Đường Tên Lửa", "Đu\u031bo\u031b\u0300ng", "\xff\x00", "ＫＰ３", "  a  b  ", "\u212B\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := router.Fold(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Fold(%q) = %q: not valid UTF-8", s, got)
		}
		if again := router.Fold(got); again != got {
			t.Fatalf("Fold not idempotent: Fold(%q) = %q, Fold of that = %q", s, got, again)
		}
		if strings.HasPrefix(got, " ") || strings.HasSuffix(got, " ") || strings.Contains(got, "  ") {
			t.Fatalf("Fold(%q) = %q: stray spaces", s, got)
		}
	})
}

func BenchmarkFold(b *testing.B) {
	in := "Đường Tên Lửa đoạn gần vòng xoay có nhiều ổ gà rất sâu, tối qua có người đi xe máy bị té. Đề nghị sửa chữa gấp."
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		router.Fold(in)
	}
}

func BenchmarkFoldFolded(b *testing.B) {
	in := "duong ten lua doan gan vong xoay co nhieu o ga rat sau toi qua co nguoi di xe may bi te"
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		router.Fold(in)
	}
}

// TestFoldClauses: the classifier reads a text as clauses, so that no
// keyword is found across a comma ("ổ gà, rác" is not "ga rac").
func TestFoldClauses(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"comma", "ổ gà, rác", "o ga , rac"},
		{"several marks are one", "ngập!!! Ổ gà?", "ngap , o ga"},
		{"none at either end", ", đầu câu. ", "dau cau"},
		{"line break", "ổ gà\nrác", "o ga , rac"},
		{"ellipsis", "tối om… rác", "toi om , rac"},
		{"fullwidth comma", "ổ gà，rác", "o ga , rac"},
		{"between digits", "sâu 1,5 mét, 2.000 đồng", "sau 1 5 met , 2 000 dong"},
		{"a hyphen ends nothing", "Liên khu 4-5 - ngập", "lien khu 4 5 ngap"},
		{"folded text is kept", "o ga rac", "o ga rac"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := router.FoldClauses(tt.in); got != tt.want {
				t.Errorf("foldClauses(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got, want := router.Fold(tt.in), router.Fold(tt.want); got != want {
				t.Errorf("Fold(%q) = %q, want %q", tt.in, got, want)
			}
		})
	}
}
