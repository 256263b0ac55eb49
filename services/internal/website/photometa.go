package website

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"

	"pakn.local/services/internal/feedback"
)

// Photos are stored and shown without what they say about the citizen
// rather than the problem: the position where the photo was taken (often
// their home), the time, the phone's make, model and serial number, the
// owner's name, editing history, comments and thumbnails. Colour profiles
// and what a decoder needs to draw the picture are kept.
//
// Everything here works on the bytes alone, trusts no length it reads and
// copies what it keeps whole, so that a photo it leaves alone is the same
// bytes, and a photo cleaned twice is the same as cleaned once (the photo id
// hashes them).

// errUnreadablePhoto is the cause of every photo that cannot be parsed as
// the type its bytes claim; decoder.photo shows errPhotoDamaged for it.
var errUnreadablePhoto = errors.New("website: photo cannot be read")

// errTooManyPixels is returned for a photo that would have to be decoded to be
// turned upright and has more pixels than maxDecodePixels.
var errTooManyPixels = errors.New("website: photo has too many pixels to turn upright")

const (
	// maxPhotoSide is the long side, in pixels, of a photo that had to be
	// decoded anyway (to turn it upright): plenty for an official to see a
	// pothole, and a fraction of a phone's full size.
	maxPhotoSide = 2560
	// maxDecodePixels bounds the memory of a decode: about 75 MB for a
	// baseline JPEG and 375 MB for a progressive one at this size (50 MP
	// sensors make 49.9 MP). Photos that need no turning are never decoded.
	maxDecodePixels = 50_000_000
	// reencodeQuality is the JPEG quality of a photo turned upright; lower
	// ones are tried only if the result would not fit the upload limit.
	reencodeQuality = 90
)

// withoutMetadata returns the photo without its metadata, or an error
// wrapping errUnreadablePhoto (or errTooManyPixels) if it cannot be read as
// contentType. It returns data itself when there is nothing to remove.
func withoutMetadata(contentType string, data []byte) ([]byte, error) {
	out, _, err := stripMetadata(contentType, data)
	return out, err
}

// stripMetadata is withoutMetadata that also tells whether the photo was
// decoded and encoded again (a JPEG turned upright) rather than only cut.
func stripMetadata(contentType string, data []byte) (out []byte, reencoded bool, err error) {
	switch contentType {
	case "image/jpeg":
		return stripJPEG(data)
	case "image/png":
		out, err = stripPNG(data)
	case "image/webp":
		out, err = stripWebP(data)
	default:
		err = fmt.Errorf("%w: content type %q", errUnreadablePhoto, contentType)
	}
	return out, false, err
}

func unreadable(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errUnreadablePhoto}, args...)...)
}

// span is a range of bytes [start, end) to leave out.
type span struct{ start, end int }

// cut returns data without the spans (sorted, not overlapping), or data
// itself if there are none.
func cut(data []byte, drop []span) []byte {
	if len(drop) == 0 {
		return data
	}
	n := len(data)
	for _, s := range drop {
		n -= s.end - s.start
	}
	out := make([]byte, 0, n)
	at := 0
	for _, s := range drop {
		out = append(out, data[at:s.start]...)
		at = s.end
	}
	return append(out, data[at:]...)
}

// JPEG markers (ITU T.81 table B.1).
const (
	mTEM   = 0x01
	mSOF0  = 0xC0
	mDHT   = 0xC4
	mJPG   = 0xC8
	mDAC   = 0xCC
	mSOF15 = 0xCF
	mRST0  = 0xD0
	mRST7  = 0xD7
	mSOI   = 0xD8
	mEOI   = 0xD9
	mSOS   = 0xDA
	mAPP0  = 0xE0
	mAPP1  = 0xE1
	mAPP2  = 0xE2
	mAPP14 = 0xEE
	mAPP15 = 0xEF
	mCOM   = 0xFE
)

const (
	iccPrefix   = "ICC_PROFILE\x00"
	exifPrefix  = "Exif\x00\x00"
	jfifPrefix  = "JFIF\x00"
	adobePrefix = "Adobe"
)

// jpegFile is what stripJPEG learns from walking a JPEG.
type jpegFile struct {
	drop          []span
	icc           [][]byte // whole ICC profile segments, marker included, in order
	orientation   int      // from the first EXIF segment; 0 if none or unreadable
	width, height int      // from the frame header
}

// stripJPEG removes APP1..APP15 segments (EXIF and XMP in APP1, IPTC in
// APP13, C2PA content credentials in APP11, makers' own; but for ICC
// profiles in APP2 and Adobe's colour transform in APP14), APP0 segments
// other than JFIF,
// comments, bytes between segments that are no segment, and whatever
// follows the end of the image: the other pictures of a Multi-Picture file,
// a motion photo's video. A photo whose EXIF orientation asks for it to be
// turned is decoded, turned, shrunk to maxPhotoSide and encoded again.
func stripJPEG(data []byte) ([]byte, bool, error) {
	f, err := walkJPEG(data)
	if err != nil {
		return nil, false, err
	}
	if f.orientation >= 2 && f.orientation <= 8 {
		out, err := uprightJPEG(data, f)
		return out, true, err
	}
	return cut(data, f.drop), false, nil
}

// walkJPEG follows a JPEG's segments from SOI to EOI, through the
// entropy-coded data of every scan, as libjpeg does: fill bytes before a
// marker are allowed, other bytes where a marker should be are skipped.
func walkJPEG(data []byte) (jpegFile, error) {
	var f jpegFile
	if len(data) < 4 || data[0] != 0xFF || data[1] != mSOI {
		return f, unreadable("jpeg: no start of image")
	}
	frame, scans := false, 0
	inScan := false // i is where a scan's entropy-coded data begins
	for i := 2; ; {
		at, err := nextJPEGMarker(data, i, inScan)
		if err != nil {
			return f, err
		}
		if !inScan && at > i && !allFF(data[i:at]) {
			// Bytes that are no segment (a wrong length in the segment
			// before, a writer's bug): decoders skip them, and so do we.
			f.drop = append(f.drop, span{i, at})
		}
		inScan = false
		m := data[at+1]
		switch {
		case m == mSOI:
			return f, unreadable("jpeg: start of image at %d", at)
		case m == mEOI:
			if scans == 0 {
				return f, unreadable("jpeg: end of image before any scan")
			}
			if end := at + 2; end < len(data) {
				f.drop = append(f.drop, span{end, len(data)})
			}
			return f, nil
		case m == mTEM || m >= mRST0 && m <= mRST7:
			i = at + 2 // no length; nothing to drop
			continue
		case m < mSOF0:
			return f, unreadable("jpeg: reserved marker 0x%02X at %d", m, at)
		}
		if at+4 > len(data) {
			return f, unreadable("jpeg: marker 0x%02X cut off", m)
		}
		n := int(binary.BigEndian.Uint16(data[at+2:]))
		end := at + 2 + n
		if n < 2 {
			return f, unreadable("jpeg: segment 0x%02X at %d of length %d", m, at, n)
		}
		if end > len(data) {
			return f, unreadable("jpeg: segment 0x%02X at %d of length %d overruns the file", m, at, n)
		}
		payload := data[at+4 : end]
		switch {
		case m == mAPP0:
			if !bytes.HasPrefix(payload, []byte(jfifPrefix)) {
				f.drop = append(f.drop, span{at, end})
			}
		case m == mAPP2 && bytes.HasPrefix(payload, []byte(iccPrefix)):
			f.icc = append(f.icc, data[at:end])
		case m == mAPP14 && bytes.HasPrefix(payload, []byte(adobePrefix)):
		case m >= mAPP1 && m <= mAPP15 || m == mCOM:
			if m == mAPP1 && f.orientation == 0 && scans == 0 && bytes.HasPrefix(payload, []byte(exifPrefix)) {
				f.orientation = exifOrientation(payload[len(exifPrefix):])
				if f.orientation == 0 {
					f.orientation = 1 // read once: a later EXIF segment does not count
				}
			}
			f.drop = append(f.drop, span{at, end})
		case m >= mSOF0 && m <= mSOF15 && m != mDHT && m != mJPG && m != mDAC:
			if frame {
				return f, unreadable("jpeg: second frame header at %d", at)
			}
			if len(payload) < 6 {
				return f, unreadable("jpeg: short frame header")
			}
			frame = true
			f.height = int(binary.BigEndian.Uint16(payload[1:]))
			f.width = int(binary.BigEndian.Uint16(payload[3:]))
		case m == mSOS:
			if !frame {
				return f, unreadable("jpeg: scan before the frame header")
			}
			scans++
			inScan = true
		}
		i = end
	}
}

// nextJPEGMarker returns the position of the 0xFF that starts the next
// marker at or after i. In a scan's entropy-coded data (inScan) 0xFF 0x00
// is a data byte and RSTn markers belong to the data; elsewhere 0xFF 0x00
// is junk, skipped as libjpeg does.
func nextJPEGMarker(data []byte, i int, inScan bool) (int, error) {
	for {
		j := bytes.IndexByte(data[i:], 0xFF)
		if j < 0 {
			return 0, unreadable("jpeg: the file ends without end of image")
		}
		k := i + j + 1
		for k < len(data) && data[k] == 0xFF {
			k++ // fill bytes
		}
		if k >= len(data) {
			return 0, unreadable("jpeg: the file ends without end of image")
		}
		m := data[k]
		if m == 0 || inScan && m >= mRST0 && m <= mRST7 {
			i = k + 1
			continue
		}
		return k - 1, nil
	}
}

func allFF(b []byte) bool {
	for _, c := range b {
		if c != 0xFF {
			return false
		}
	}
	return true
}

// exifOrientation reads tag 0x0112 of IFD0 from TIFF data, as browsers do:
// a SHORT, count 1, 1 to 8. It returns 0 when there is none.
func exifOrientation(tiff []byte) int {
	if len(tiff) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(tiff[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 0
	}
	off := uint64(bo.Uint32(tiff[4:]))
	if off < 8 || off+2 > uint64(len(tiff)) {
		return 0
	}
	n := int(bo.Uint16(tiff[off:]))
	for k := range n {
		e := int(off) + 2 + 12*k
		if e+12 > len(tiff) {
			return 0
		}
		if bo.Uint16(tiff[e:]) != 0x0112 {
			continue
		}
		if bo.Uint16(tiff[e+2:]) != 3 || bo.Uint32(tiff[e+4:]) != 1 {
			return 0
		}
		if v := int(bo.Uint16(tiff[e+8:])); v >= 1 && v <= 8 {
			return v
		}
		return 0
	}
	return 0
}

// uprightJPEG decodes the photo, turns it as its EXIF orientation says,
// shrinks it to maxPhotoSide and encodes it again with its colour profile
// (when the profile still fits the colours written). The result is the same
// for the same input: every step is integer arithmetic in a fixed order.
func uprightJPEG(data []byte, f jpegFile) ([]byte, error) {
	if f.width == 0 || f.height == 0 {
		return nil, unreadable("jpeg: image of %d×%d", f.width, f.height)
	}
	if int64(f.width)*int64(f.height) > maxDecodePixels {
		return nil, fmt.Errorf("%w: %d×%d", errTooManyPixels, f.width, f.height)
	}
	src, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, unreadable("jpeg: %v", err)
	}
	dst, space, err := orient(src, f.orientation, maxPhotoSide)
	if err != nil {
		return nil, err
	}
	var icc []byte
	if iccColourSpace(f.icc) == space {
		for _, s := range f.icc {
			icc = append(icc, s...)
		}
	}
	var out []byte
	for _, q := range []int{reencodeQuality, 75, 60} {
		var b bytes.Buffer
		b.Grow(len(data) + len(icc))
		if err := jpeg.Encode(&b, dst, &jpeg.Options{Quality: q}); err != nil {
			return nil, unreadable("jpeg: encode: %v", err)
		}
		enc := b.Bytes()
		// SOI, the colour profile, then the rest as the encoder wrote it.
		out = make([]byte, 0, len(enc)+len(icc))
		out = append(append(append(out, enc[:2]...), icc...), enc[2:]...)
		if len(out) <= feedback.MaxUploadBytes {
			break
		}
	}
	return out, nil
}

// iccColourSpace returns the data colour space of an ICC profile split over
// APP2 segments ("RGB ", "GRAY", "CMYK"), or "" if it cannot be told.
func iccColourSpace(segs [][]byte) string {
	for _, s := range segs {
		p := s[4+len(iccPrefix):] // after marker, length and prefix
		if len(p) >= 2+20 && p[0] == 1 {
			return string(p[2+16 : 2+20])
		}
	}
	return ""
}

// plane is one channel (or interleaved channels) of pixels, as stored.
type plane struct {
	pix       []byte
	stride    int
	w, h, bpp int
}

// orient returns img turned by EXIF orientation o (2..8) and shrunk so that
// its long side is at most maxSide, and the ICC colour space that fits it.
// It handles what image/jpeg decodes to: Gray, YCbCr, RGBA and CMYK.
func orient(img image.Image, o, maxSide int) (image.Image, string, error) {
	b := img.Bounds()
	if b.Min != (image.Point{}) || b.Empty() {
		return nil, "", unreadable("jpeg: decoded bounds %v", b)
	}
	w, h := b.Dx(), b.Dy()
	ow, oh := w, h
	if o >= 5 {
		ow, oh = h, w
	}
	dw, dh := fitSide(ow, oh, maxSide)
	dr := image.Rect(0, 0, dw, dh)
	switch m := img.(type) {
	case *image.Gray:
		d := image.NewGray(dr)
		resample(plane{d.Pix, d.Stride, dw, dh, 1}, plane{m.Pix, m.Stride, w, h, 1}, o)
		return d, "GRAY", nil
	case *image.YCbCr:
		d := image.NewYCbCr(dr, image.YCbCrSubsampleRatio420)
		resample(plane{d.Y, d.YStride, dw, dh, 1}, plane{m.Y, m.YStride, w, h, 1}, o)
		cw, ch := chromaSize(w, h, m.SubsampleRatio)
		dcw, dch := chromaSize(dw, dh, d.SubsampleRatio)
		resample(plane{d.Cb, d.CStride, dcw, dch, 1}, plane{m.Cb, m.CStride, cw, ch, 1}, o)
		resample(plane{d.Cr, d.CStride, dcw, dch, 1}, plane{m.Cr, m.CStride, cw, ch, 1}, o)
		return d, "RGB ", nil
	case *image.RGBA:
		d := image.NewRGBA(dr)
		resample(plane{d.Pix, d.Stride, dw, dh, 4}, plane{m.Pix, m.Stride, w, h, 4}, o)
		return d, "RGB ", nil
	case *image.CMYK:
		// Written as YCbCr: a CMYK profile no longer fits, and none is kept.
		d := image.NewRGBA(dr)
		resample(plane{d.Pix, d.Stride, dw, dh, 4}, plane{m.Pix, m.Stride, w, h, 4}, o)
		for i := 0; i+4 <= len(d.Pix); i += 4 {
			p := d.Pix[i : i+4 : i+4]
			p[0], p[1], p[2] = color.CMYKToRGB(p[0], p[1], p[2], p[3])
			p[3] = 0xFF
		}
		return d, "RGB ", nil
	}
	return nil, "", unreadable("jpeg: decoded as %T", img)
}

// fitSide scales w×h so that the long side is at most maxSide.
func fitSide(w, h, maxSide int) (int, int) {
	long := max(w, h)
	if long <= maxSide {
		return w, h
	}
	return max(1, (w*maxSide+long/2)/long), max(1, (h*maxSide+long/2)/long)
}

// chromaSize is the size of the chroma planes of a w×h YCbCr image whose
// bounds start at 0,0 (as image.NewYCbCr makes them).
func chromaSize(w, h int, r image.YCbCrSubsampleRatio) (int, int) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return (w + 1) / 2, h
	case image.YCbCrSubsampleRatio420:
		return (w + 1) / 2, (h + 1) / 2
	case image.YCbCrSubsampleRatio440:
		return w, (h + 1) / 2
	case image.YCbCrSubsampleRatio411:
		return (w + 3) / 4, h
	case image.YCbCrSubsampleRatio410:
		return (w + 3) / 4, (h + 1) / 2
	}
	return w, h
}

// box maps each pixel along one side of the destination to the source
// pixels it averages: the offset of the first in the source's bytes; n of
// them, one step apart.
type box struct {
	off []int
	n   int
}

// boxAxis spreads m destination pixels over n source pixels, reversed if
// flip. Each averages the n/m source pixels (rounded up) nearest its
// centre: the same number for all, which keeps the loops below free of
// unpredictable branches. When m ≥ n, that is the nearest pixel.
func boxAxis(m, n, step int, flip bool) box {
	k := (n + m - 1) / m
	b := box{off: make([]int, m), n: k}
	for x := range m {
		lo := int((int64(2*x+1)*int64(n) - int64(k)*int64(m)) / int64(2*m))
		lo = min(max(lo, 0), n-k)
		if flip {
			lo = n - k - lo
		}
		b.off[x] = lo * step
	}
	return b
}

// resampleTile is the side of the squares resample works through, so that
// a turned picture is read from a few rows at a time, not from all of them.
const resampleTile = 64

// resample fills dst, in the upright frame, from src as stored, turned by
// EXIF orientation o and averaged over boxes. Orientations 5 to 8 swap the
// axes; the others (and 1) keep them.
//
//	o: 1 as is, 2 mirrored, 3 turned 180°, 4 flipped, 5 transposed,
//	   6 turned 90° clockwise, 7 transversed, 8 turned 90° anticlockwise
func resample(dst, src plane, o int) {
	transpose := o >= 5
	flipX := o == 2 || o == 3 || o == 7 || o == 8
	flipY := o == 3 || o == 4 || o == 6 || o == 7
	bpp := src.bpp
	// Along the destination's x the source's x runs, or its y if turned.
	var xs, ys box
	var stepX, stepY int // source bytes between pixels along dst x and dst y
	if transpose {
		stepX, stepY = src.stride, bpp
		xs, ys = boxAxis(dst.w, src.h, stepX, flipY), boxAxis(dst.h, src.w, stepY, flipX)
	} else {
		stepX, stepY = bpp, src.stride
		xs, ys = boxAxis(dst.w, src.w, stepX, flipX), boxAxis(dst.h, src.h, stepY, flipY)
	}
	nx, ny := xs.n, ys.n
	// Dividing by n as multiplying by ⌈2³²/n⌉ is exact for these sums (at
	// most 255·n, n < 4096), and cheaper.
	n := nx * ny
	recip := (1<<32 + uint64(n) - 1) / uint64(n)
	half := n / 2
	pix := src.pix
	for ty := 0; ty < dst.h; ty += resampleTile {
		for tx := 0; tx < dst.w; tx += resampleTile {
			for y := ty; y < min(ty+resampleTile, dst.h); y++ {
				oy := ys.off[y]
				row := dst.pix[y*dst.stride : y*dst.stride+dst.w*bpp]
				for x := tx; x < min(tx+resampleTile, dst.w); x++ {
					base := oy + xs.off[x]
					if bpp == 1 {
						sum := 0
						for j := range ny {
							p := base + j*stepY
							for i := range nx {
								sum += int(pix[p+i*stepX])
							}
						}
						row[x] = byte(uint64(sum+half) * recip >> 32)
						continue
					}
					var s0, s1, s2, s3 int
					for j := range ny {
						p := base + j*stepY
						for i := range nx {
							q := pix[p+i*stepX : p+i*stepX+4 : p+i*stepX+4]
							s0 += int(q[0])
							s1 += int(q[1])
							s2 += int(q[2])
							s3 += int(q[3])
						}
					}
					d := row[x*4 : x*4+4 : x*4+4]
					d[0] = byte(uint64(s0+half) * recip >> 32)
					d[1] = byte(uint64(s1+half) * recip >> 32)
					d[2] = byte(uint64(s2+half) * recip >> 32)
					d[3] = byte(uint64(s3+half) * recip >> 32)
				}
			}
		}
	}
}

const pngSignature = "\x89PNG\r\n\x1a\n"

// stripPNG removes text (tEXt, zTXt, iTXt: comments, XMP, the software's
// name), EXIF (eXIf), time (tIME) and C2PA content credentials (caBX, which
// may name the author and the device) chunks, and anything after IEND (such
// as the rest of a picture a buggy editor cropped but left behind). The
// chunks it keeps are copied whole, their CRCs with them.
func stripPNG(data []byte) ([]byte, error) {
	if !bytes.HasPrefix(data, []byte(pngSignature)) {
		return nil, unreadable("png: no signature")
	}
	var drop []span
	sawIDAT := false
	for i := len(pngSignature); ; {
		if i+12 > len(data) {
			return nil, unreadable("png: the file ends without IEND")
		}
		n := binary.BigEndian.Uint32(data[i:])
		typ := string(data[i+4 : i+8])
		if n > 1<<31-1 || uint64(i)+12+uint64(n) > uint64(len(data)) {
			return nil, unreadable("png: chunk %q of %d bytes overruns the file", typ, n)
		}
		end := i + 12 + int(n)
		if !pngChunkType(typ) {
			return nil, unreadable("png: chunk type %q", typ)
		}
		if i == len(pngSignature) && (typ != "IHDR" || n != 13) {
			return nil, unreadable("png: first chunk %q", typ)
		}
		switch typ {
		case "tEXt", "zTXt", "iTXt", "eXIf", "tIME", "caBX":
			drop = append(drop, span{i, end})
		case "IDAT":
			sawIDAT = true
		case "IEND":
			if !sawIDAT {
				return nil, unreadable("png: no image data")
			}
			if end < len(data) {
				drop = append(drop, span{end, len(data)})
			}
			return cut(data, drop), nil
		}
		i = end
	}
}

func pngChunkType(t string) bool {
	for i := range len(t) {
		c := t[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// VP8X flags (WebP container specification).
const (
	webpFlagEXIF = 0x08
	webpFlagXMP  = 0x04
)

// stripWebP removes EXIF and XMP chunks (and C2PA content credentials),
// clears their flags in the VP8X header, drops anything after the RIFF data
// and sets the RIFF size to what is left.
func stripWebP(data []byte) ([]byte, error) {
	if len(data) < 12 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WEBP" {
		return nil, unreadable("webp: no RIFF WEBP header")
	}
	size := uint64(binary.LittleEndian.Uint32(data[4:]))
	if size < 4+8 || 8+size > uint64(len(data)) {
		return nil, unreadable("webp: RIFF size %d for %d bytes", size, len(data))
	}
	end := 8 + int(size)
	var drop []span
	flags := -1 // where the VP8X flags are, if there are any
	for i := 12; i < end; {
		if i+8 > end {
			return nil, unreadable("webp: chunk header cut off at %d", i)
		}
		fourCC := string(data[i : i+4])
		n := uint64(binary.LittleEndian.Uint32(data[i+4:]))
		next := uint64(i) + 8 + n + n&1
		if next > uint64(end) {
			return nil, unreadable("webp: chunk %q of %d bytes overruns the file", fourCC, n)
		}
		switch {
		case i == 12 && fourCC == "VP8X":
			if n < 10 {
				return nil, unreadable("webp: VP8X of %d bytes", n)
			}
			flags = i + 8
		case i == 12 && fourCC != "VP8 " && fourCC != "VP8L":
			return nil, unreadable("webp: first chunk %q", fourCC)
		case fourCC == "EXIF" || fourCC == "XMP " || fourCC == "C2PA":
			drop = append(drop, span{i, int(next)})
		}
		i = int(next)
	}
	if end < len(data) {
		drop = append(drop, span{end, len(data)})
	}
	dirty := flags >= 0 && data[flags]&(webpFlagEXIF|webpFlagXMP) != 0
	if len(drop) == 0 && !dirty {
		return data, nil
	}
	out := cut(data, drop)
	if len(drop) == 0 {
		out = bytes.Clone(data) // only the flags change
	}
	if flags >= 0 {
		out[flags] &^= webpFlagEXIF | webpFlagXMP // VP8X comes first: nothing before it moved
	}
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out, nil
}
