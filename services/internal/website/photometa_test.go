package website_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/website"
)

// What a phone writes into a photo, and what must never come out again.
const (
	camera  = "PAKNCAM-SERIAL-123"
	gpsText = "GPS 10.76,106.6"
	xmpNS   = "http://ns.adobe.com/xap/1.0/\x00"
)

// --- JPEG builders ---

// segment is one JPEG marker segment.
func segment(marker byte, payload []byte) []byte {
	s := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(s[2:], uint16(len(payload)+2))
	return append(s, payload...)
}

// tiffExif is the TIFF data of an EXIF segment: IFD0 with Make, an
// Orientation (none if 0) and a pointer to a GPS IFD with a latitude.
func tiffExif(bo binary.AppendByteOrder, orientation int) []byte {
	var b []byte
	u16 := func(v int) { b = bo.AppendUint16(b, uint16(v)) }
	u32 := func(v int) { b = bo.AppendUint32(b, uint32(v)) }
	if bo == binary.AppendByteOrder(binary.LittleEndian) {
		b = append(b, "II*\x00"...)
	} else {
		b = append(b, "MM\x00*"...)
	}
	u32(8)
	entries := 2
	if orientation != 0 {
		entries = 3
	}
	ifd0End := 8 + 2 + 12*entries + 4
	makeAt := ifd0End
	gpsAt := makeAt + len(camera) + 1 + 1 // the string, its NUL, a pad to even
	u16(entries)
	u16(0x010F) // Make
	u16(2)
	u32(len(camera) + 1)
	u32(makeAt)
	if orientation != 0 {
		u16(0x0112)
		u16(3)
		u32(1)
		u16(orientation)
		u16(0)
	}
	u16(0x8825) // GPS IFD
	u16(4)
	u32(1)
	u32(gpsAt)
	u32(0) // no IFD1
	b = append(b, camera+"\x00\x00"...)
	// GPS IFD: GPSLatitudeRef "N", GPSLatitude 10° 45' 36".
	ratAt := gpsAt + 2 + 12*2 + 4
	u16(2)
	u16(1)
	u16(2)
	u32(2)
	b = append(b, 'N', 0, 0, 0)
	u16(2)
	u16(5)
	u32(3)
	u32(ratAt)
	u32(0)
	for _, v := range []int{10, 1, 45, 1, 3600, 100} {
		u32(v)
	}
	return b
}

func exifSegment(orientation int) []byte {
	return segment(0xE1, append([]byte("Exif\x00\x00"), tiffExif(binary.LittleEndian, orientation)...))
}

var (
	jfifSegment  = segment(0xE0, []byte("JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"))
	xmpSegment   = segment(0xE1, []byte(xmpNS+`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description tiff:Make="`+camera+`" exif:GPSLatitude="10,45.6N"/></rdf:RDF></x:xmpmeta>`))
	comSegment   = segment(0xFE, []byte(camera+" taken at home"))
	adobeSegment = segment(0xEE, []byte("Adobe\x00\x64\x00\x00\x00\x00\x01")) // transform 1: YCbCr
	iccSegment   = segment(0xE2, append([]byte("ICC_PROFILE\x00\x01\x01"), fakeICC("RGB ")...))
	// An APP2 Multi-Picture index and the second picture it points at,
	// after the first picture's end: phones keep depth maps there.
	mpfSegment = segment(0xE2, []byte("MPF\x00II*\x00\x08\x00\x00\x00"))
)

// fakeICC is the 128-byte header of an ICC profile of a colour space.
func fakeICC(space string) []byte {
	p := make([]byte, 128)
	binary.BigEndian.PutUint32(p, 128)
	copy(p[12:], "mntr")
	copy(p[16:], space)
	copy(p[20:], "XYZ ")
	copy(p[36:], "acsp")
	return p
}

// withSegments puts segments right after a JPEG's SOI.
func withSegments(jpg []byte, segs ...[]byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, jpg[2:]...)
}

// quadrants is a w×h picture, red in its top-left quadrant, white elsewhere.
func quadrants(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{255, 255, 255, 255}
			if x < w/2 && y < h/2 {
				c = color.RGBA{220, 20, 20, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func isRed(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r>>8 > 170 && g>>8 < 90 && b>>8 < 90
}

func isWhite(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r>>8 > 200 && g>>8 > 200 && b>>8 > 200
}

// jpegSegments lists the markers and payloads before the first scan,
// walked independently of the code under test.
func jpegSegments(t testing.TB, data []byte) (markers []byte, payloads [][]byte) {
	t.Helper()
	if len(data) < 2 || data[0] != 0xFF || data[1] != 0xD8 {
		t.Fatalf("no SOI")
	}
	for i := 2; ; {
		for i+1 < len(data) && data[i] == 0xFF && data[i+1] == 0xFF {
			i++
		}
		if i+4 > len(data) || data[i] != 0xFF {
			t.Fatalf("no marker at %d", i)
		}
		m := data[i+1]
		if m == 0x01 || m >= 0xD0 && m <= 0xD7 {
			i += 2 // no length
			continue
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			t.Fatalf("segment %02X overruns", m)
		}
		markers = append(markers, m)
		payloads = append(payloads, data[i+4:i+2+n])
		if m == 0xDA {
			return markers, payloads
		}
		i += 2 + n
	}
}

// --- PNG and WebP builders ---

func pngChunk(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// afterIHDR puts chunks right after a PNG's IHDR (8 + 25 bytes in).
func afterIHDR(p []byte, chunks ...[]byte) []byte {
	out := append([]byte{}, p[:33]...)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return append(out, p[33:]...)
}

// vp8l is a 1×1 lossless WebP bitstream (the chunk's payload).
var vp8l = []byte{0x2f, 0x00, 0x00, 0x00, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07}

func riffChunk(fourCC string, data []byte) []byte {
	c := append([]byte(fourCC), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
	c = append(c, data...)
	if len(data)%2 == 1 {
		c = append(c, 0)
	}
	return c
}

func webpFile(chunks ...[]byte) []byte {
	var body []byte
	for _, c := range chunks {
		body = append(body, c...)
	}
	out := append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(4+len(body)))...)
	return append(append(out, "WEBP"...), body...)
}

func vp8x(flags byte) []byte {
	return riffChunk("VP8X", []byte{flags, 0, 0, 0, 0, 0, 0, 0, 0, 0}) // a 1×1 canvas
}

// --- tests ---

func TestJPEGTurnedUprightWithoutMetadata(t *testing.T) {
	src := encodeJPEG(t, quadrants(32, 16))
	in := withSegments(src, jfifSegment, exifSegment(6), xmpSegment, comSegment, iccSegment, adobeSegment)
	out, reencoded, err := website.StripMetadata("image/jpeg", in)
	if err != nil {
		t.Fatal(err)
	}
	if !reencoded {
		t.Fatal("orientation 6 was not applied")
	}
	for _, leak := range []string{"PAKNCAM", "Exif", "http://ns.adobe.com/xap/", "taken at home", "MPF"} {
		if bytes.Contains(out, []byte(leak)) {
			t.Errorf("%q survived", leak)
		}
	}
	if !bytes.Contains(out, iccSegment) {
		t.Error("the colour profile was lost")
	}
	img, err := jpeg.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 16 || b.Dy() != 32 {
		t.Fatalf("upright size %v, want 16×32", b.Size())
	}
	// Turned 90° clockwise: the stored top-left is now the top-right.
	if c := img.At(12, 3); !isRed(c) {
		t.Errorf("top-right %v, want red", c)
	}
	for _, p := range []image.Point{{3, 3}, {3, 28}, {12, 28}} {
		if c := img.At(p.X, p.Y); !isWhite(c) {
			t.Errorf("%v is %v, want white", p, c)
		}
	}
	again, err := website.WithoutMetadata("image/jpeg", out)
	if err != nil || !bytes.Equal(again, out) {
		t.Errorf("cleaning the result again changed it (err %v)", err)
	}
	twice, _ := website.WithoutMetadata("image/jpeg", in)
	if !bytes.Equal(twice, out) {
		t.Error("the same photo gave other bytes: photo ids would differ")
	}
}

func TestJPEGEveryOrientation(t *testing.T) {
	// Where the stored top-left corner is shown, for each orientation.
	corner := map[int]string{1: "tl", 2: "tr", 3: "br", 4: "bl", 5: "tl", 6: "tr", 7: "br", 8: "bl"}
	for _, gray := range []bool{false, true} {
		var pic image.Image = quadrants(48, 32)
		if gray {
			g := image.NewGray(pic.Bounds())
			for y := range 32 {
				for x := range 48 {
					g.Set(x, y, pic.At(x, y))
				}
			}
			pic = g
		}
		src := encodeJPEG(t, pic)
		for o := 1; o <= 8; o++ {
			out, reencoded, err := website.StripMetadata("image/jpeg", withSegments(src, exifSegment(o)))
			if err != nil {
				t.Fatalf("gray %v orientation %d: %v", gray, o, err)
			}
			if reencoded != (o != 1) {
				t.Errorf("gray %v orientation %d: re-encoded %v", gray, o, reencoded)
			}
			img, err := jpeg.Decode(bytes.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			w, h := 48, 32
			if o >= 5 {
				w, h = h, w
			}
			if img.Bounds().Dx() != w || img.Bounds().Dy() != h {
				t.Fatalf("gray %v orientation %d: size %v", gray, o, img.Bounds().Size())
			}
			dark := func(x, y int) bool { // red, or its gray
				r, g, b, _ := img.At(x, y).RGBA()
				return (r+g+b)/3>>8 < 150
			}
			pts := map[string]image.Point{"tl": {2, 2}, "tr": {w - 3, 2}, "bl": {2, h - 3}, "br": {w - 3, h - 3}}
			for name, p := range pts {
				if dark(p.X, p.Y) != (name == corner[o]) {
					t.Errorf("gray %v orientation %d: corner %s dark=%v", gray, o, name, dark(p.X, p.Y))
				}
			}
		}
	}
}

func TestJPEGShrunkWhenTurned(t *testing.T) {
	src := encodeJPEG(t, quadrants(3000, 1000))
	out, err := website.WithoutMetadata("image/jpeg", withSegments(src, exifSegment(8)))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Height != website.MaxPhotoSide || cfg.Width != 853 {
		t.Errorf("size %d×%d, want 853×%d", cfg.Width, cfg.Height, website.MaxPhotoSide)
	}
	// Not turned, not decoded: the size stays.
	out, err = website.WithoutMetadata("image/jpeg", withSegments(src, exifSegment(1)))
	if err != nil {
		t.Fatal(err)
	}
	if cfg, _ := jpeg.DecodeConfig(bytes.NewReader(out)); cfg.Width != 3000 {
		t.Errorf("an upright photo was resized to %d", cfg.Width)
	}
}

func TestJPEGUprightLosesOnlySegments(t *testing.T) {
	src := encodeJPEG(t, quadrants(32, 16))
	keep := [][]byte{jfifSegment, iccSegment, adobeSegment}
	want := withSegments(src, keep...)
	cases := []struct {
		name string
		in   []byte
	}{
		{"EXIF orientation 1, XMP, comment", withSegments(src, jfifSegment, exifSegment(1), xmpSegment, comSegment, iccSegment, adobeSegment)},
		{"IPTC, content credentials", withSegments(src, jfifSegment, iccSegment, segment(0xED, []byte("Photoshop 3.0\x008BIM\x04\x04"+camera)),
			segment(0xEB, []byte("JP\x00\x01\x00\x00\x00\x01jumbc2pa"+camera)), adobeSegment)},
		{"EXIF without orientation", withSegments(src, exifSegment(0), jfifSegment, iccSegment, adobeSegment)},
		{"big-endian EXIF, orientation 1", withSegments(src, jfifSegment,
			segment(0xE1, append([]byte("Exif\x00\x00"), tiffExif(binary.BigEndian, 1)...)), iccSegment, adobeSegment)},
		{"broken EXIF", withSegments(src, jfifSegment, segment(0xE1, []byte("Exif\x00\x00MM\x00*\xff\xff\xff\xff")), iccSegment, adobeSegment)},
		{"other APPn, a JFXX thumbnail", withSegments(src, jfifSegment, segment(0xE0, []byte("JFXX\x00\x10thumb")), segment(0xED, []byte("Photoshop 3.0\x00"+camera)),
			segment(0xE3, []byte("Meta")), iccSegment, adobeSegment, segment(0xEF, []byte("x")))},
		{"Multi-Picture index and the second picture after the end", append(withSegments(src, jfifSegment, mpfSegment, iccSegment, adobeSegment),
			withSegments(src, exifSegment(3))...)},
		{"junk between segments", withSegments(src, jfifSegment, []byte("\x00junk"+camera), iccSegment, adobeSegment)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, reencoded, err := website.StripMetadata("image/jpeg", tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if reencoded || !bytes.Equal(out, want) {
				t.Fatalf("got %d bytes (re-encoded %v), want the %d of the picture without the segments", len(out), reencoded, len(want))
			}
		})
	}
	// Nothing to remove: the very same bytes.
	for _, in := range [][]byte{src, want, jpegPhoto(t)} {
		out, err := website.WithoutMetadata("image/jpeg", in)
		if err != nil || !bytes.Equal(out, in) {
			t.Errorf("a clean photo changed (err %v)", err)
		}
	}
}

func TestPNGWithoutText(t *testing.T) {
	clean := pngPhoto(t)
	gama := pngChunk("gAMA", []byte{0, 0, 0xB1, 0x8F})
	in := afterIHDR(clean,
		pngChunk("tEXt", []byte("Comment\x00"+gpsText)), gama,
		pngChunk("tIME", []byte{0x07, 0xEA, 3, 2, 9, 30, 0}),
		pngChunk("iTXt", []byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00"+xmpNS+camera)),
		pngChunk("zTXt", []byte("Author\x00\x00x\x9c\x03\x00\x00\x00\x00\x01")),
		pngChunk("eXIf", tiffExif(binary.BigEndian, 6)),
		pngChunk("caBX", []byte("jumb c2pa "+camera)))
	in = append(in, "trailing: the rest of a cropped screenshot"...)
	out, err := website.WithoutMetadata("image/png", in)
	if err != nil {
		t.Fatal(err)
	}
	if want := afterIHDR(clean, gama); !bytes.Equal(out, want) {
		t.Fatalf("got %d bytes, want %d: the photo with gAMA only", len(out), len(want))
	}
	for _, leak := range []string{"10.76", camera, "tEXt", "eXIf", "trailing"} {
		if bytes.Contains(out, []byte(leak)) {
			t.Errorf("%q survived", leak)
		}
	}
	a, err1 := png.Decode(bytes.NewReader(in[:len(in)-len("trailing: the rest of a cropped screenshot")]))
	b, err2 := png.Decode(bytes.NewReader(out))
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	for y := range 3 {
		for x := range 4 {
			if a.At(x, y) != b.At(x, y) {
				t.Fatalf("pixel %d,%d changed", x, y)
			}
		}
	}
	if same, err := website.WithoutMetadata("image/png", clean); err != nil || !bytes.Equal(same, clean) {
		t.Errorf("a clean PNG changed (err %v)", err)
	}
}

func TestWebPWithoutEXIF(t *testing.T) {
	iccp := riffChunk("ICCP", fakeICC("RGB "))
	tiff := append(tiffExif(binary.LittleEndian, 6), 0)
	if len(tiff)%2 == 0 {
		t.Fatal("the EXIF chunk should have an odd length, to test padding")
	}
	exif := riffChunk("EXIF", tiff)
	xmp := riffChunk("XMP ", []byte(xmpNS+camera))
	img := riffChunk("VP8L", vp8l)
	c2pa := riffChunk("C2PA", []byte("jumb c2pa "+camera))
	in := webpFile(vp8x(0x20|0x08|0x04), iccp, img, exif, xmp, c2pa)
	out, err := website.WithoutMetadata("image/webp", in)
	if err != nil {
		t.Fatal(err)
	}
	if want := webpFile(vp8x(0x20), iccp, img); !bytes.Equal(out, want) {
		t.Fatalf("got\n%q\nwant\n%q", out, want)
	}
	if got := binary.LittleEndian.Uint32(out[4:]); int(got) != len(out)-8 {
		t.Errorf("RIFF size %d for %d bytes", got, len(out))
	}
	if bytes.Contains(out, []byte(camera)) || bytes.Contains(out, []byte("EXIF")) {
		t.Error("metadata survived")
	}
	if ct := http.DetectContentType(out); ct != "image/webp" {
		t.Errorf("sniffed as %s", ct)
	}
	// Flags set without chunks, trailing bytes after the RIFF data.
	out, err = website.WithoutMetadata("image/webp", append(webpFile(vp8x(0x08), img), "junk"...))
	if err != nil || !bytes.Equal(out, webpFile(vp8x(0), img)) {
		t.Errorf("got %q, %v", out, err)
	}
	for _, clean := range [][]byte{webpFile(img), webpFile(vp8x(0x20), iccp, img), fixture(t, "pixel.webp")} {
		if out, err := website.WithoutMetadata("image/webp", clean); err != nil || !bytes.Equal(out, clean) {
			t.Errorf("a clean WebP changed (err %v)", err)
		}
	}
}

func TestUnreadablePhotos(t *testing.T) {
	src := encodeJPEG(t, quadrants(32, 16))
	sos := bytes.Index(src, []byte{0xFF, 0xDA})
	sof := bytes.Index(src, []byte{0xFF, 0xC0})
	lossless := bytes.Clone(src)
	lossless[sof+1] = 0xC3 // a lossless JPEG: image/jpeg cannot decode it to turn it
	huge := bytes.Clone(src)
	binary.BigEndian.PutUint16(huge[sof+5:], 6000)  // height
	binary.BigEndian.PutUint16(huge[sof+7:], 10000) // width
	clean := pngPhoto(t)
	img := riffChunk("VP8L", vp8l)
	cases := []struct {
		name, ct string
		data     []byte
		want     error
	}{
		{"jpeg: only a signature", "image/jpeg", []byte("\xff\xd8\xff"), website.ErrUnreadablePhoto},
		{"jpeg: cut in a segment", "image/jpeg", src[:sof+5], website.ErrUnreadablePhoto},
		{"jpeg: cut in the scan", "image/jpeg", src[:sos+40], website.ErrUnreadablePhoto},
		{"jpeg: segment overruns", "image/jpeg", withSegments(src[:sof], []byte{0xFF, 0xE1, 0xFF, 0xF0, 'E'}), website.ErrUnreadablePhoto},
		{"jpeg: segment length 1", "image/jpeg", withSegments(src, []byte{0xFF, 0xE1, 0x00, 0x01}), website.ErrUnreadablePhoto},
		{"jpeg: scan before frame", "image/jpeg", append(append([]byte{}, src[:sof]...), src[sos:]...), website.ErrUnreadablePhoto},
		{"jpeg: end before any scan", "image/jpeg", withSegments([]byte("\xff\xd8\xff\xd9"), jfifSegment), website.ErrUnreadablePhoto},
		{"jpeg: second start", "image/jpeg", withSegments(src, []byte{0xFF, 0xD8}), website.ErrUnreadablePhoto},
		{"jpeg: reserved marker", "image/jpeg", withSegments(src, segment(0x02, nil)), website.ErrUnreadablePhoto},
		{"jpeg: turned, but cannot be decoded", "image/jpeg", withSegments(lossless, exifSegment(6)), website.ErrUnreadablePhoto},
		{"jpeg: turned, 60 megapixels", "image/jpeg", withSegments(huge, exifSegment(6)), website.ErrTooManyPixels},
		{"png: signature only", "image/png", clean[:8], website.ErrUnreadablePhoto},
		{"png: cut", "image/png", clean[:len(clean)-5], website.ErrUnreadablePhoto},
		{"png: first chunk not IHDR", "image/png", append(append(clean[:8:8], pngChunk("tEXt", []byte("a\x00b"))...), clean[8:]...), website.ErrUnreadablePhoto},
		{"png: chunk overruns", "image/png", afterIHDR(clean, []byte("\x7f\xff\xff\xfftEXt")), website.ErrUnreadablePhoto},
		{"png: bad chunk type", "image/png", afterIHDR(clean, pngChunk("t3Xt", nil)), website.ErrUnreadablePhoto},
		{"png: no image data", "image/png", append(clean[:33:33], pngChunk("IEND", nil)...), website.ErrUnreadablePhoto},
		{"webp: RIFF longer than the file", "image/webp", webpFile(img)[:20], website.ErrUnreadablePhoto},
		{"webp: RIFF size too small", "image/webp", []byte("RIFF\x04\x00\x00\x00WEBPVP8L"), website.ErrUnreadablePhoto},
		{"webp: chunk overruns", "image/webp", webpFile(riffChunk("VP8L", vp8l)[:8], []byte("\xff\xff")), website.ErrUnreadablePhoto},
		{"webp: first chunk not an image", "image/webp", webpFile(riffChunk("EXIF", nil), img), website.ErrUnreadablePhoto},
		{"webp: short VP8X", "image/webp", webpFile(riffChunk("VP8X", []byte{8, 0}), img), website.ErrUnreadablePhoto},
		{"webp: not RIFF", "image/webp", []byte("RIFX\x0c\x00\x00\x00WEBPVP8L\x00\x00\x00\x00"), website.ErrUnreadablePhoto},
		{"gif", "image/gif", []byte("GIF89a"), website.ErrUnreadablePhoto},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := website.WithoutMetadata(tc.ct, tc.data)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
			if out != nil {
				t.Error("bytes returned with an error")
			}
		})
	}
}

func TestOrientOtherDecodings(t *testing.T) {
	// image/jpeg also decodes to RGBA (Adobe, no transform), CMYK and
	// YCbCr of any subsampling; each must turn the same way.
	ycc := image.NewYCbCr(image.Rect(0, 0, 6, 4), image.YCbCrSubsampleRatio422)
	for i := range ycc.Y {
		ycc.Y[i] = 235
	}
	for i := range ycc.Cb {
		ycc.Cb[i], ycc.Cr[i] = 128, 128
	}
	ycc.Y[0], ycc.Cr[0] = 60, 240 // a reddish top-left
	cmyk := image.NewCMYK(image.Rect(0, 0, 6, 4))
	cmyk.Pix[3] = 255 // black top-left
	rgba := image.NewRGBA(image.Rect(0, 0, 6, 4))
	for i := range rgba.Pix {
		rgba.Pix[i] = 255
	}
	copy(rgba.Pix, []byte{0, 0, 0, 255})
	for _, src := range []image.Image{ycc, cmyk, rgba} {
		got, err := website.Orient(src, 6, 100)
		if err != nil {
			t.Fatal(err)
		}
		if got.Bounds() != image.Rect(0, 0, 4, 6) {
			t.Fatalf("%T: bounds %v", src, got.Bounds())
		}
		_, g, _, _ := got.At(3, 0).RGBA()
		_, g2, _, _ := got.At(0, 5).RGBA()
		if g>>8 > 100 || g2>>8 < 200 {
			t.Errorf("%T: top-right green %d, bottom-left green %d; want the stored top-left at the top right", src, g>>8, g2>>8)
		}
	}
	if _, err := website.Orient(image.NewNRGBA(image.Rect(0, 0, 2, 2)), 6, 100); !errors.Is(err, website.ErrUnreadablePhoto) {
		t.Errorf("an image type image/jpeg never makes: %v", err)
	}
}

// --- end to end ---

func TestSubmittedPhotosLoseTheirMetadata(t *testing.T) {
	e := newEnv(t)
	pic := encodeJPEG(t, quadrants(32, 16))
	f := validForm(e.token())
	f.files = []upload{
		{"home.jpg", "image/jpeg", withSegments(pic, exifSegment(1), xmpSegment, comSegment)},
		{"turned.jpg", "image/jpeg", withSegments(pic, exifSegment(6), iccSegment)},
		{"gps.png", "image/png", afterIHDR(pngPhoto(t), pngChunk("tEXt", []byte("Comment\x00"+gpsText)))},
	}
	resp, body := e.post(f)
	codeOf(t, resp, body)
	atts := e.published()[0].GetAttachments()
	if len(atts) != 3 {
		t.Fatalf("%d attachments", len(atts))
	}
	for i, a := range atts {
		resp, got := e.get(strings.TrimPrefix(a.GetUrl(), publicURL))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("photo %d: %d", i, resp.StatusCode)
		}
		for _, leak := range []string{"Exif", camera, "10.76", "ns.adobe.com/xap", "taken at home"} {
			if strings.Contains(got, leak) {
				t.Errorf("photo %d keeps %q", i, leak)
			}
		}
		if ct := http.DetectContentType([]byte(got)); ct != a.GetContentType() {
			t.Errorf("photo %d: %s stored as %s", i, ct, a.GetContentType())
		}
	}
	_, first := e.get(strings.TrimPrefix(atts[0].GetUrl(), publicURL))
	if first != string(pic) {
		t.Error("an upright JPEG was changed beyond its segments")
	}
	_, turned := e.get(strings.TrimPrefix(atts[1].GetUrl(), publicURL))
	cfg, err := jpeg.DecodeConfig(strings.NewReader(turned))
	if err != nil || cfg.Width != 16 || cfg.Height != 32 {
		t.Errorf("turned photo: %+v, %v", cfg, err)
	}
}

// --- fuzzing ---

// FuzzWithoutMetadata feeds the three parsers anything. They must never
// panic; what they accept stays its type, loses its metadata, grows only
// when turned upright, and comes out the same when cleaned again.
func FuzzWithoutMetadata(f *testing.F) {
	src := encodeJPEG(f, quadrants(32, 16))
	clean := pngPhoto(f)
	img := riffChunk("VP8L", vp8l)
	for _, seed := range [][]byte{
		src,
		withSegments(src, jfifSegment, exifSegment(6), xmpSegment, comSegment, iccSegment, adobeSegment),
		withSegments(src, exifSegment(1), xmpSegment, mpfSegment),
		append(withSegments(src, exifSegment(3)), "trailer"...),
		withSegments(encodeJPEG(f, image.NewGray(image.Rect(0, 0, 9, 7))), exifSegment(5)),
		clean,
		afterIHDR(clean, pngChunk("tEXt", []byte("Comment\x00"+gpsText)), pngChunk("eXIf", tiffExif(binary.BigEndian, 6))),
		webpFile(img),
		webpFile(vp8x(0x2C), riffChunk("ICCP", fakeICC("RGB ")), img, riffChunk("EXIF", tiffExif(binary.LittleEndian, 6)), riffChunk("XMP ", []byte(xmpNS))),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sniffed := http.DetectContentType(data)
		for _, ct := range []string{"image/jpeg", "image/png", "image/webp"} {
			out, reencoded, err := website.StripMetadata(ct, data)
			if ct != sniffed || err != nil {
				continue // not panicking is all there is to check
			}
			if got := http.DetectContentType(out); got != ct {
				t.Fatalf("%s came out as %s", ct, got)
			}
			if !reencoded && len(out) > len(data) {
				t.Fatalf("%s grew from %d to %d bytes without being encoded again", ct, len(data), len(out))
			}
			if reencoded {
				cfg, err := jpeg.DecodeConfig(bytes.NewReader(out))
				if err != nil || max(cfg.Width, cfg.Height) > website.MaxPhotoSide || len(out) > feedback.MaxUploadBytes {
					t.Fatalf("encoded again as %+v, %d bytes, %v", cfg, len(out), err)
				}
			}
			checkNoMetadata(t, ct, out)
			again, err := website.WithoutMetadata(ct, out)
			if err != nil || !bytes.Equal(again, out) {
				t.Fatalf("cleaning twice differs from once (err %v)", err)
			}
		}
	})
}

// checkNoMetadata walks the cleaned file on its own and fails on anything
// that should have gone.
func checkNoMetadata(t *testing.T, ct string, out []byte) {
	t.Helper()
	switch ct {
	case "image/jpeg":
		markers, payloads := jpegSegments(t, out)
		for i, m := range markers {
			p := string(payloads[i])
			ok := m < 0xE0 || m > 0xEF && m != 0xFE ||
				m == 0xE0 && strings.HasPrefix(p, "JFIF\x00") ||
				m == 0xE2 && strings.HasPrefix(p, "ICC_PROFILE\x00") ||
				m == 0xEE && strings.HasPrefix(p, "Adobe")
			if !ok {
				t.Fatalf("segment %02X %.12q kept", m, p)
			}
		}
	case "image/png":
		i := 8
		for {
			n := int(binary.BigEndian.Uint32(out[i:]))
			typ := string(out[i+4 : i+8])
			switch typ {
			case "tEXt", "zTXt", "iTXt", "eXIf", "tIME", "caBX":
				t.Fatalf("chunk %s kept", typ)
			}
			i += 12 + n
			if typ == "IEND" {
				break
			}
		}
		if i != len(out) {
			t.Fatalf("%d bytes after IEND", len(out)-i)
		}
	case "image/webp":
		if int(binary.LittleEndian.Uint32(out[4:])) != len(out)-8 {
			t.Fatalf("RIFF size %d for %d bytes", binary.LittleEndian.Uint32(out[4:]), len(out))
		}
		if string(out[12:16]) == "VP8X" && out[20]&0x0C != 0 {
			t.Fatalf("VP8X flags %08b", out[20])
		}
		for i := 12; i < len(out); {
			n := int(binary.LittleEndian.Uint32(out[i+4:]))
			if typ := string(out[i : i+4]); typ == "EXIF" || typ == "XMP " || typ == "C2PA" {
				t.Fatalf("chunk %q kept", typ)
			}
			i += 8 + n + n%2
		}
	}
}

// --- benchmark ---

// photo12MP is a 4032×3024 picture with detail and noise: 4.4 MB, about
// what a phone's camera makes.
func photo12MP(b *testing.B) []byte {
	img := image.NewYCbCr(image.Rect(0, 0, 4032, 3024), image.YCbCrSubsampleRatio420)
	rng := rand.New(rand.NewPCG(1, 2))
	for y := range 3024 {
		for x := range 4032 {
			img.Y[y*img.YStride+x] = byte((x*x/4000+y/3)%200 + rng.IntN(6))
		}
	}
	for i := range img.Cb {
		img.Cb[i] = byte(100 + i%57)
		img.Cr[i] = byte(140 - i%31)
	}
	return encodeJPEG(b, img)
}

func BenchmarkWithoutMetadata(b *testing.B) {
	pic := photo12MP(b)
	for _, o := range []int{6, 1} {
		in := withSegments(pic, jfifSegment, exifSegment(o), xmpSegment, iccSegment)
		b.Run("12MP-orientation-"+strconv.Itoa(o), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				if _, err := website.WithoutMetadata("image/jpeg", in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
