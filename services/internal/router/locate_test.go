package router_test

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/router"
)

// rect is a closed [lng, lat] ring around a box.
func wardRect(lng0, lat0, lng1, lat1 float64) [][2]float64 {
	return [][2]float64{{lng0, lat0}, {lng1, lat0}, {lng1, lat1}, {lng0, lat1}, {lng0, lat0}}
}

func testKP(ward string, n int, streets ...string) feedback.Neighbourhood {
	num := strconv.Itoa(n)
	return feedback.Neighbourhood{Code: ward + "-kp" + num, Name: "Khu phố " + num, Streets: streets}
}

// withMarks adds landmarks to a neighbourhood.
func withMarks(n feedback.Neighbourhood, marks ...feedback.Landmark) feedback.Neighbourhood {
	n.Landmarks = marks
	return n
}

func mark(name string, aliases ...string) feedback.Landmark {
	return feedback.Landmark{Name: name, Aliases: aliases}
}

// locateTestWards is a fixture with the district's traps: names that are
// prefixes of others, a street in several wards, a street that is also an
// everyday phrase, landmarks with a ward's name inside them, a landmark in
// two wards. Its streets and landmarks are the test's own, not the seed's.
func locateTestWards() []feedback.Ward {
	return []feedback.Ward{
		{Code: "an-lac", Name: "An Lạc", Aliases: []string{"P. An Lạc", "AL"},
			Neighbourhoods: []feedback.Neighbourhood{
				withMarks(testKP("an-lac", 1, "Hồ Học Lãm", "Kinh Dương Vương"), mark("Bến xe Miền Tây", "BXMT")),
				withMarks(testKP("an-lac", 2, "An Dương Vương"), mark("Vòng xoay An Lạc"))},
			Boundary: wardRect(106.595, 10.73, 106.63, 10.745)},
		{Code: "an-lac-a", Name: "An Lạc A", Aliases: []string{"P. An Lạc A", "ALA"},
			Neighbourhoods: []feedback.Neighbourhood{testKP("an-lac-a", 1, "Kinh Dương Vương"), testKP("an-lac-a", 3, "Bùi Tư Toàn")},
			Boundary:       wardRect(106.615, 10.745, 106.63, 10.76)},
		{Code: "binh-hung-hoa", Name: "Bình Hưng Hòa", Aliases: []string{"BHH"},
			Neighbourhoods: []feedback.Neighbourhood{withMarks(testKP("binh-hung-hoa", 1, "Lê Trọng Tấn", "Tân Kỳ Tân Quý"), mark("Chợ Bình Long"))},
			Boundary:       wardRect(106.6, 10.805, 106.63, 10.82)},
		{Code: "binh-hung-hoa-a", Name: "Bình Hưng Hòa A", Aliases: []string{"BHHA"},
			Neighbourhoods: []feedback.Neighbourhood{withMarks(testKP("binh-hung-hoa-a", 1, "Tân Kỳ Tân Quý", "Ấp Chiến Lược"), mark("Chợ Bình Long"))},
			Boundary:       wardRect(106.6, 10.78, 106.63, 10.805)},
		{Code: "binh-hung-hoa-b", Name: "Bình Hưng Hòa B", Aliases: []string{"BHHB"},
			Neighbourhoods: []feedback.Neighbourhood{testKP("binh-hung-hoa-b", 1, "Quốc lộ 1A", "Liên khu 5-6")},
			Boundary:       wardRect(106.57, 10.795, 106.6, 10.82)},
		{Code: "binh-tri-dong", Name: "Bình Trị Đông",
			Neighbourhoods: []feedback.Neighbourhood{
				testKP("binh-tri-dong", 2, "Phan Anh"),
				withMarks(testKP("binh-tri-dong", 4, "Chiến Lược", "Hương lộ 2"), mark("Trường THPT Nguyễn Hữu Cảnh"))},
			Boundary: wardRect(106.615, 10.76, 106.63, 10.78)},
		{Code: "binh-tri-dong-b", Name: "Bình Trị Đông B", Aliases: []string{"P. BTĐ B"},
			Neighbourhoods: []feedback.Neighbourhood{
				withMarks(testKP("binh-tri-dong-b", 1, "Tên Lửa", "Đường số 7"), mark("Siêu thị GO! An Lạc", "Big C An Lạc")),
				withMarks(testKP("binh-tri-dong-b", 2, "Tên Lửa", "Kinh Dương Vương"), mark("Aeon Mall Bình Tân", "Aeon Bình Tân")),
				testKP("binh-tri-dong-b", 3, "Đường số 17A")},
			Boundary: wardRect(106.595, 10.745, 106.615, 10.76)},
		{Code: "tan-tao", Name: "Tân Tạo",
			Neighbourhoods: []feedback.Neighbourhood{testKP("tan-tao", 1, "Tỉnh lộ 10", "Quốc lộ 1A")},
			Boundary:       wardRect(106.57, 10.76, 106.6, 10.795)},
		{Code: "tan-tao-a", Name: "Tân Tạo A",
			Neighbourhoods: []feedback.Neighbourhood{withMarks(testKP("tan-tao-a", 1, "Kinh Dương Vương", "Quốc lộ 1A"), mark("Khu công nghiệp Tân Tạo"))},
			Boundary:       wardRect(106.57, 10.73, 106.595, 10.76)},
	}
}

func TestLocate(t *testing.T) {
	l := router.NewLocator(locateTestWards())
	pt := func(lat, lng float64) *feedback.Location { return &feedback.Location{Lat: lat, Lng: lng} }
	tests := []struct {
		name                 string
		ward, address, text  string
		loc                  *feedback.Location
		want, wantHood, from string // want "" means Unclear; wantHood "" is any, "-" is none
	}{
		// the ward field
		{name: "field code", ward: "binh-tri-dong-b", want: "binh-tri-dong-b", from: "field"},
		{name: "field name", ward: "Bình Trị Đông B", want: "binh-tri-dong-b", from: "field"},
		{name: "field no diacritics", ward: "phuong binh tri dong b", want: "binh-tri-dong-b", from: "field"},
		{name: "field P. abbreviation", ward: "P. BTĐ B", want: "binh-tri-dong-b", from: "field"},
		{name: "field abbreviation spaced", ward: "btd b", want: "binh-tri-dong-b", from: "field"},
		{name: "field abbreviation joined", ward: "BTĐB", want: "binh-tri-dong-b", from: "field"},
		{name: "field bhh a", ward: "bhh a", want: "binh-hung-hoa-a", from: "field"},
		{name: "field bhh", ward: "P.BHH", want: "binh-hung-hoa", from: "field"},
		{name: "field phường prefix", ward: "Phường Tân Tạo", want: "tan-tao", from: "field"},
		{name: "field with district", ward: "P. Tân Tạo A, Q. Bình Tân, TP.HCM", want: "tan-tao-a", from: "field"},
		{name: "field an lac is not an lac a", ward: "An Lạc", want: "an-lac", from: "field"},
		{name: "field an lac a", ward: "an lac a", want: "an-lac-a", from: "field"},
		{name: "field joined name", ward: "BinhHungHoaB", want: "binh-hung-hoa-b", from: "field"},
		{name: "field decomposed", ward: "Bi\u0300nh Hu\u031bng Ho\u0300a", want: "binh-hung-hoa", from: "field"},
		{name: "field wins over address", ward: "Tân Tạo", address: "12 Tên Lửa, P. Bình Trị Đông B", want: "tan-tao", from: "field"},
		{name: "unknown field falls through", ward: "Phường 5", address: "12 Tên Lửa", want: "binh-tri-dong-b", from: "address"},

		// the address
		{name: "address ward name", address: "45 Hồ Học Lãm, P. An Lạc, Q. Bình Tân", want: "an-lac", from: "address"},
		{name: "address longest name wins", address: "Bùi Tư Toàn, phường An Lạc A", want: "an-lac-a", from: "address"},
		{name: "address bhh b not bhh", address: "hẻm 5, Bình Hưng Hòa B", want: "binh-hung-hoa-b", from: "address"},
		{name: "address bị is not B", address: "Bình Hưng Hòa bị ngập", want: "binh-hung-hoa", from: "address"},
		{name: "address abbreviation after p", address: "12 đường số 7, p.btd b", want: "binh-tri-dong-b", from: "address"},
		{name: "address street of one ward", address: "123/4 Tên Lửa", want: "binh-tri-dong-b", from: "address"},
		{name: "address street no diacritics", address: "hem 9 ten lua", want: "binh-tri-dong-b", from: "address"},
		{name: "address street in four wards", address: "Kinh Dương Vương"},
		{name: "address corner decides", address: "góc Kinh Dương Vương và Bùi Tư Toàn", want: "an-lac-a", from: "address"},
		{name: "address shared street and a ward", address: "Quốc lộ 1A, Tân Tạo A", want: "tan-tao-a", from: "address"},
		{name: "address ql1a short form", address: "300 QL1A gần Liên khu 5-6", want: "binh-hung-hoa-b", from: "address"},
		{name: "address đường số 17A is not 17", address: "đường số 17", want: ""},
		{name: "address ds 17a", address: "ds17a", want: "binh-tri-dong-b", from: "address"},
		{name: "address two wards named tie", address: "giữa Tân Tạo và An Lạc"},
		{name: "address longest street wins", address: "Ấp Chiến Lược", want: "binh-hung-hoa-a", from: "address"},
		{name: "everyday phrase is no street", address: "tôi xin phản ánh"},
		{name: "everyday phrase after a street word", address: "12 đường Phan Anh", want: "binh-tri-dong", from: "address"},
		{name: "everyday phrase after a house number", address: "12 Phan Anh", want: "binh-tri-dong", from: "address"},
		{name: "everyday phrase opening the address", address: "Phan Anh", want: "binh-tri-dong", from: "address"},
		{name: "everyday phrase opening the text is no street", text: "Phan anh viec den duong hu"},

		// neighbourhoods
		{name: "kp spaced", address: "Tên Lửa, KP 2, P. BTĐ B", want: "binh-tri-dong-b", wantHood: "binh-tri-dong-b-kp2", from: "address"},
		{name: "kp joined", address: "kp3 Bình Trị Đông B", want: "binh-tri-dong-b", wantHood: "binh-tri-dong-b-kp3", from: "address"},
		{name: "khu pho words", ward: "BTĐB", text: "ở khu phố 1 có ổ gà", want: "binh-tri-dong-b", wantHood: "binh-tri-dong-b-kp1", from: "field"},
		{name: "khu pho so", ward: "An Lạc A", address: "khu phố số 03", want: "an-lac-a", wantHood: "an-lac-a-kp3", from: "field"},
		{name: "kp unknown in ward", ward: "An Lạc A", address: "kp 9", want: "an-lac-a", wantHood: "-", from: "field"},
		{name: "street of one neighbourhood", ward: "BTĐB", address: "đường số 17A", want: "binh-tri-dong-b", wantHood: "binh-tri-dong-b-kp3", from: "field"},
		{name: "street of two neighbourhoods", ward: "BTĐB", address: "Tên Lửa", want: "binh-tri-dong-b", wantHood: "-", from: "field"},
		{name: "two streets, two neighbourhoods", ward: "BTĐB", address: "đường số 7 góc đường số 17A", want: "binh-tri-dong-b", wantHood: "-", from: "field"},
		{name: "street of one neighbourhood from text", ward: "BTĐB", text: "trên đường số 7", want: "binh-tri-dong-b", wantHood: "binh-tri-dong-b-kp1", from: "field"},

		// the map point
		{name: "point inside", loc: pt(10.7385, 106.612), want: "an-lac", from: "point"},
		{name: "point beats text", loc: pt(10.752, 106.622), text: "ngập ở Tân Tạo", want: "an-lac-a", from: "point"},
		{name: "point narrows an ambiguous street", address: "Kinh Dương Vương", loc: pt(10.744, 106.582), want: "tan-tao-a", from: "point"},
		{name: "point just outside", loc: pt(10.7290, 106.612), want: "an-lac", from: "point"},
		{name: "point far away", loc: pt(10.9, 106.7)},
		{name: "point zero is no point", loc: pt(0, 0)},
		{name: "point NaN", loc: pt(math.NaN(), math.NaN())},
		{name: "point Inf", loc: pt(math.Inf(1), math.Inf(-1))},

		// the text
		{name: "text ward", text: "Đường ở phường Bình Hưng Hòa A ngập nặng", want: "binh-hung-hoa-a", from: "text"},
		{name: "text street", text: "duong ten lua nhieu o ga", want: "binh-tri-dong-b", from: "text"},
		{name: "text phản ánh is not Phan Anh", text: "Tôi xin phản ánh việc đèn đường hỏng"},
		{name: "text short alias needs a ward word", text: "al đây, đèn hỏng"},
		{name: "text short alias after p", text: "ở p AL đèn hỏng", want: "an-lac", from: "text"},
		{name: "text narrows an ambiguous address", address: "Kinh Dương Vương", text: "gần Bùi Tư Toàn", want: "an-lac-a", from: "text"},
		{name: "text particle ạ is not the letter A", text: "Nhờ phường xem giúp, nhà em ở An Lạc ạ", want: "an-lac", from: "text"},
		{name: "text particle ạ decomposed", text: "nhà em ở An La\u0323c a\u0323.", want: "an-lac", from: "text"},
		{name: "text particle ạ after An Lạc A", text: "em ở An Lạc A ạ", want: "an-lac-a", from: "text"},
		{name: "text majority", text: "Tân Tạo A, Tân Tạo A, gần An Lạc", want: "tan-tao-a", from: "text"},

		// landmarks
		{name: "landmark in the address", address: "trước Aeon Mall Bình Tân", want: "binh-tri-dong-b", wantHood: "binh-tri-dong-b-kp2", from: "address"},
		{name: "landmark alias", address: "cổng Aeon Bình Tân", want: "binh-tri-dong-b", wantHood: "binh-tri-dong-b-kp2", from: "address"},
		{name: "landmark without diacritics", address: "gan ben xe mien tay", want: "an-lac", wantHood: "an-lac-kp1", from: "address"},
		{name: "landmark upper case, decomposed", address: "BẾN XE MIỀN TÂY", want: "an-lac", from: "address"},
		{name: "landmark abbreviated BX", text: "kẹt xe trước BX Miền Tây", want: "an-lac", wantHood: "an-lac-kp1", from: "text"},
		{name: "landmark own alias", text: "xe ôm dù ở bxmt", want: "an-lac", from: "text"},
		{name: "KCN beats the ward inside it", address: "đường số 3, KCN Tân Tạo", want: "tan-tao-a", wantHood: "tan-tao-a-kp1", from: "address"},
		{name: "khu cong nghiep beats the ward inside it", text: "xe tải chạy ầm ầm trong khu cong nghiep tan tao", want: "tan-tao-a", from: "text"},
		{name: "Big C An Lạc is not An Lạc", address: "bãi xe Big C An Lạc", want: "binh-tri-dong-b", wantHood: "binh-tri-dong-b-kp1", from: "address"},
		{name: "landmark and its ward agree", address: "Vòng xoay An Lạc, P. An Lạc", want: "an-lac", wantHood: "an-lac-kp2", from: "address"},
		{name: "ward written out beats a landmark", address: "đối diện Bến xe Miền Tây, phường An Lạc A", want: "an-lac-a", from: "address"},
		{name: "ward field beats a landmark", ward: "Tân Tạo", address: "KCN Tân Tạo", want: "tan-tao", from: "field"},
		{name: "ward field names a landmark", ward: "KCN Tân Tạo", want: "tan-tao-a", from: "field"},
		{name: "landmark beats a street of another ward", address: "đường Tên Lửa gần Bến xe Miền Tây", want: "an-lac", from: "address"},
		{name: "landmark narrows a shared street", address: "Kinh Dương Vương trước Bến xe Miền Tây", want: "an-lac", wantHood: "an-lac-kp1", from: "address"},
		{name: "landmark names the neighbourhood a street cannot", address: "Aeon Bình Tân, đường Tên Lửa", want: "binh-tri-dong-b", wantHood: "binh-tri-dong-b-kp2", from: "address"},
		{name: "kp number beats a landmark's neighbourhood", address: "KP 1, gần Aeon Bình Tân", want: "binh-tri-dong-b", wantHood: "binh-tri-dong-b-kp1", from: "address"},
		{name: "landmark in two wards, a street decides", address: "chợ Bình Long, Ấp Chiến Lược", want: "binh-hung-hoa-a", from: "address"},
		{name: "landmark in two wards alone", address: "chợ Bình Long"},
		{name: "two landmarks, two wards", address: "từ Aeon Bình Tân tới Bến xe Miền Tây"},
		{name: "school without truong", text: "cổng THPT Nguyễn Hữu Cảnh có ổ gà", want: "binh-tri-dong", wantHood: "binh-tri-dong-kp4", from: "text"},
		{name: "school spelt out, no diacritics", text: "truong trung hoc pho thong nguyen huu canh ngap", want: "binh-tri-dong", from: "text"},
		{name: "part of a landmark is no landmark", address: "bến xe"},
		{name: "landmark then particle ạ", text: "nhà em gần Aeon Bình Tân ạ", want: "binh-tri-dong-b", from: "text"},
		{name: "landmark in text after an unclear address", address: "Kinh Dương Vương", text: "gần Big C An Lạc", want: "binh-tri-dong-b", from: "text"},

		// hostile input
		{name: "all empty"},
		{name: "only punctuation", ward: "...", address: "!!!", text: "???"},
		{name: "invalid utf8", ward: "\xff\xfe", address: "T\xffên Lửa", text: "\xc3"},
		{name: "nul bytes", ward: "Tân\x00Tạo", want: "tan-tao", from: "field"},
		{name: "100 KB of text", text: strings.Repeat("ngập nước ở đây ", 6500) + " Tên Lửa", want: "binh-tri-dong-b", from: "text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := l.Locate(tt.ward, tt.address, tt.loc, tt.text)
			if tt.want == "" {
				if !got.Unclear || got.Ward != "" || got.Reason == "" {
					t.Fatalf("Locate = %+v, want unclear with a reason", got)
				}
				return
			}
			if got.Unclear || got.Ward != tt.want || got.Source != tt.from {
				t.Fatalf("Locate = %+v, want %s from %s", got, tt.want, tt.from)
			}
			switch tt.wantHood {
			case "":
			case "-":
				if got.Neighbourhood != "" {
					t.Errorf("neighbourhood %q, want none", got.Neighbourhood)
				}
			default:
				if got.Neighbourhood != tt.wantHood {
					t.Errorf("neighbourhood %q, want %q", got.Neighbourhood, tt.wantHood)
				}
			}
			if got.Confidence <= 0 || got.Confidence > 1 {
				t.Errorf("confidence %v out of (0, 1]", got.Confidence)
			}
		})
	}
}

// A ward's ring may be non-convex. An L-shaped ward and the ward that fills
// its notch: the even-odd test must put each point in the right one,
// whichever way round the rings are drawn, also for a point on a level with
// a vertex of the notch, where the ray passes through that vertex.
func TestLocatePointNonConvex(t *testing.T) {
	at := func(x, y float64) [2]float64 { return [2]float64{106.6 + x/100, 10.75 + y/100} }
	ring := func(pts ...[2]float64) [][2]float64 { return append(pts, pts[0]) }
	ell := ring(at(0, 0), at(4, 0), at(4, 1), at(1, 1), at(1, 4), at(0, 4)) // counter-clockwise
	notch := ring(at(1, 1), at(4, 1), at(4, 4), at(1, 4))
	tests := []struct {
		name string
		x, y float64
		want string // "" is unclear
	}{
		{"upper arm", 0.5, 3.5, "l"},
		{"right arm", 3.5, 0.5, "l"},
		{"corner", 0.5, 0.5, "l"},
		{"in the notch", 2.5, 2.5, "n"},
		{"notch, near the inner corner", 1.1, 1.1, "n"},
		{"level with the inner corner", 0.5, 1, "l"},
		{"level with the notch's top", 0.5, 4 - 1e-9, "l"},
		{"just outside the notch", 4.2, 2.5, "n"},
		{"far outside", 6, 2, ""},
	}
	for _, clockwise := range []bool{false, true} {
		e, n := slices.Clone(ell), slices.Clone(notch)
		if clockwise {
			slices.Reverse(e)
			slices.Reverse(n)
		}
		l := router.NewLocator([]feedback.Ward{{Code: "l", Name: "Phường L", Boundary: e}, {Code: "n", Name: "Phường N", Boundary: n}})
		for _, tt := range tests {
			p := at(tt.x, tt.y)
			got := l.Locate("", "", &feedback.Location{Lng: p[0], Lat: p[1]}, "")
			if got.Ward != tt.want || (tt.want != "" && got.Source != router.SourcePoint) {
				t.Errorf("clockwise=%v %s (%v): %+v, want %q", clockwise, tt.name, p, got, tt.want)
			}
		}
	}
}

// The seed's wards, boundaries and landmarks work together: places whose
// position is known fall in their ward, and the seed's landmarks are found.
func TestLocateSeedDistrict(t *testing.T) {
	l := router.NewLocator(seedOrgForTest(t).Wards)
	tests := []struct {
		name          string
		address, text string
		lat, lng      float64
		want, hood    string
	}{
		{name: "Bến xe Miền Tây, point", lat: 10.73947, lng: 106.61947, want: "an-lac"},
		{name: "Bệnh viện Triều An, point", lat: 10.73968, lng: 106.61637, want: "an-lac"},
		{name: "Bệnh viện Bình Tân, point", lat: 10.76727, lng: 106.59750, want: "binh-tri-dong-a"},
		{name: "UBND phường Bình Hưng Hòa B, point", lat: 10.81420, lng: 106.59387, want: "binh-hung-hoa-b"},
		{name: "BX Miền Tây", address: "gần BX Miền Tây", want: "an-lac", hood: "an-lac-kp1"},
		{name: "KCN Tân Tạo", address: "trong KCN Tân Tạo", want: "tan-tao-a", hood: "tan-tao-a-kp4"},
		{name: "Aeon Bình Tân", text: "kẹt xe trước aeon binh tan", want: "binh-tri-dong-b", hood: "binh-tri-dong-b-kp11"},
		{name: "Big C An Lạc", address: "bãi giữ xe Big C An Lạc", want: "binh-tri-dong-b"},
		{name: "PouYuen", text: "công nhân PouYuen tan ca chiếm lòng đường", want: "tan-tao"},
		{name: "Bệnh viện quận", address: "cổng BV quận Bình Tân", want: "binh-tri-dong-a"},
		{name: "Huệ Nghiêm", text: "rác đổ gần chùa Huệ Nghiêm", want: "an-lac-a"},
		// Mã Lò runs through Bình Hưng Hòa A (kp 2, 10, 14) and Bình Trị Đông A (kp 1, 4, 7, 10, 13).
		{name: "Mã Lò alone", address: "Mã Lò", want: ""},
		{name: "Mã Lò by its khu pho", address: "Mã Lò, kp 14", want: "binh-hung-hoa-a", hood: "binh-hung-hoa-a-kp14"},
		{name: "Mã Lò, khu pho in the text", text: "nắp hố ga giữa đường Mã Lò khu phố 13 bị lún", want: "binh-tri-dong-a", hood: "binh-tri-dong-a-kp13"},
		{name: "Mã Lò, a khu pho both wards have", address: "Mã Lò kp 10", want: ""},
		{name: "Mã Lò, a khu pho neither lists it in", address: "Mã Lò kp 5", want: ""},
		{name: "Bình Thành opening an address", address: "Bình Thành", want: "binh-hung-hoa-b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var loc *feedback.Location
			if tt.lat != 0 {
				loc = &feedback.Location{Lat: tt.lat, Lng: tt.lng}
			}
			got := l.Locate("", tt.address, loc, tt.text)
			if got.Ward != tt.want || (tt.hood != "" && got.Neighbourhood != tt.hood) {
				t.Errorf("Locate = %+v, want %s (%s)", got, tt.want, tt.hood)
			}
		})
	}
}

func TestLocateDegenerate(t *testing.T) {
	var nilL *router.Locator
	if got := nilL.Locate("An Lạc", "", nil, ""); !got.Unclear {
		t.Errorf("nil locator: %+v, want unclear", got)
	}
	if got := router.NewLocator(nil).Locate("An Lạc", "", nil, ""); !got.Unclear {
		t.Errorf("no wards: %+v, want unclear", got)
	}
	// A ward without a boundary, and one with a degenerate ring.
	l := router.NewLocator([]feedback.Ward{
		{Code: "x", Name: "Phường X"},
		{Code: "y", Name: "Phường Y", Boundary: [][2]float64{{1, 1}, {1, 1}}},
	})
	if got := l.Locate("", "", &feedback.Location{Lat: 1, Lng: 1}, ""); got.Ward != "y" && !got.Unclear {
		t.Errorf("degenerate ring: %+v", got)
	}
	if got := l.Locate("Phường X", "", nil, ""); got.Ward != "x" {
		t.Errorf("ward named with its prefix: %+v, want x", got)
	}
}

func FuzzLocate(f *testing.F) {
	wards := seedOrgForTest(f).Wards
	l := router.NewLocator(wards)
	hoods := map[string]string{} // neighbourhood → ward
	for _, w := range wards {
		for _, n := range w.Neighbourhoods {
			hoods[n.Code] = w.Code
		}
	}
	f.Add("P. BTĐ B", "123 Tên Lửa, kp 3", "ngập", 10.75, 106.605)
	f.Add("", "", "Tân Tạo A An Lạc", 0.0, 0.0)
	f.Add("\xff", "kp", "khu pho so", math.NaN(), math.Inf(1))
	f.Add("KCN Tân Tạo", "trước Aeon Bình Tân, kp 11", "gần bx mien tay", 10.74, 106.62)
	f.Fuzz(func(t *testing.T, ward, address, text string, lat, lng float64) {
		got := l.Locate(ward, address, &feedback.Location{Lat: lat, Lng: lng}, text)
		if got.Unclear != (got.Ward == "") {
			t.Fatalf("Unclear %v with ward %q", got.Unclear, got.Ward)
		}
		if got.Confidence < 0 || got.Confidence > 1 || got.Confidence != got.Confidence {
			t.Fatalf("confidence %v out of range", got.Confidence)
		}
		if got.Neighbourhood != "" && hoods[got.Neighbourhood] != got.Ward {
			t.Fatalf("neighbourhood %q outside ward %q", got.Neighbourhood, got.Ward)
		}
	})
}

func BenchmarkLocate(b *testing.B) {
	org := seedOrgForTest(b)
	items := loadLabelledSet(b)
	l := router.NewLocator(org.Wards)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		it := items[i%len(items)]
		l.Locate(it.WardField, it.Address, it.location(), it.Text)
		i++
	}
}
