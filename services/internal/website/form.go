package website

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"pakn.local/services/internal/feedback"
)

// Form field names, shared by the template, the decoder and the tests.
const (
	fieldToken    = "token"
	fieldLang     = "lang"
	fieldContent  = "content"
	fieldCategory = "category"
	fieldWard     = "ward"
	fieldAddress  = "address"
	fieldName     = "name"
	fieldPhone    = "phone"
	fieldPhotos   = "photos"
	// fieldHoneypot is hidden from people (off screen, out of the tab order,
	// hidden from screen readers). Its name is dull on purpose: browsers'
	// autofill leaves it alone, while bots fill in every field they see.
	fieldHoneypot = "extra_note"
)

// Size bounds of the form. A text field may take four bytes per rune of its
// limit; the body as a whole may hold three full photos and the text.
const (
	maxTextBodyBytes = 256 << 10
	maxFormBytes     = feedback.MaxUploadsPerForm*feedback.MaxUploadBytes + maxTextBodyBytes
	maxParts         = 32
)

// formInput is what the citizen sent, decoded and checked field by field.
type formInput struct {
	Token    string
	Lang     string
	Content  string
	Category string // a category code, or "" for "let the district decide"
	Ward     string // a ward code, or "" for "not sure"
	Address  string
	Name     string
	Phone    string // digits with an optional leading +, once valid
	Honeypot string
	Photos   []photo
	// Attached counts the files the citizen chose, kept or not: after an
	// error, the page asks them to choose their photos again.
	Attached int
}

// photo is an upload whose content was sniffed as an image we accept.
type photo struct {
	Data        []byte
	ContentType string
}

// acceptedImage lists what the website takes, by sniffed content type.
func acceptedImage(ct string) bool {
	return ct == "image/jpeg" || ct == "image/png" || ct == "image/webp"
}

// decodeForm reads a form body (multipart/form-data, or urlencoded without
// photos). It returns every field it could read even when it also returns
// problems, so that the page can show the citizen's text again; problems
// are *feedback.Error with the form field in Field ("" for the whole form).
// It never trusts the client: not its content types, not its file names.
func decodeForm(body io.Reader, contentType string) (formInput, []*feedback.Error) {
	var d decoder
	mt, params, err := mime.ParseMediaType(contentType)
	switch {
	case err == nil && mt == "multipart/form-data" && params["boundary"] != "":
		d.multipart(multipart.NewReader(body, params["boundary"]))
	case err == nil && mt == "application/x-www-form-urlencoded":
		d.urlencoded(body)
	default:
		d.fail(feedback.Errorf(feedback.EUNSUPPORTED,
			"Biểu mẫu phải được gửi dưới dạng multipart/form-data.",
			"The form must be sent as multipart/form-data."))
	}
	return d.in, d.errs
}

type decoder struct {
	in   formInput
	errs []*feedback.Error
	seen map[string]bool
}

func (d *decoder) fail(e *feedback.Error) {
	for _, x := range d.errs {
		if x.Field == e.Field && x.Code == e.Code && x.MessageEN == e.MessageEN {
			return // one message per problem is enough
		}
	}
	d.errs = append(d.errs, e)
}

func (d *decoder) readFailed(err error) {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		d.fail(errBodyTooLarge)
		return
	}
	d.fail(errMalformed)
}

var (
	errBodyTooLarge = feedback.Errorf(feedback.ETOOLARGE,
		"Dữ liệu gửi lên quá lớn. Vui lòng gửi tối đa 3 ảnh, mỗi ảnh không quá 5 MB.",
		"What you sent is too large. Please send at most 3 photos of up to 5 MB each.")
	errMalformed = feedback.Errorf(feedback.EINVALID,
		"Không đọc được biểu mẫu. Vui lòng gửi lại.",
		"The form could not be read. Please send it again.")
	errTooManyPhotos = feedback.Invalid(fieldPhotos,
		"Chỉ gửi được tối đa 3 ảnh.",
		"You can send at most 3 photos.")
	errPhotoTooLarge = &feedback.Error{Code: feedback.ETOOLARGE, Field: fieldPhotos,
		Message:   "Mỗi ảnh không được lớn hơn 5 MB. Vui lòng chọn ảnh nhỏ hơn.",
		MessageEN: "Each photo must be 5 MB or smaller. Please choose a smaller one."}
	errPhotoType = &feedback.Error{Code: feedback.EUNSUPPORTED, Field: fieldPhotos,
		Message:   "Chỉ nhận ảnh JPEG, PNG hoặc WebP. Tệp bạn chọn không phải là ảnh thuộc các loại này.",
		MessageEN: "Only JPEG, PNG or WebP photos are accepted. A file you chose is not one of them."}
	errPhotoDamaged = &feedback.Error{Code: feedback.EINVALID, Field: fieldPhotos,
		Message:   "Ảnh bị hỏng hoặc không đọc được, vui lòng chọn ảnh khác.",
		MessageEN: "The photo is damaged or unreadable; please choose another."}
	errPhotoPixels = &feedback.Error{Code: feedback.ETOOLARGE, Field: fieldPhotos,
		Message:   "Ảnh có độ phân giải quá lớn (tối đa 50 megapixel). Vui lòng chọn ảnh nhỏ hơn.",
		MessageEN: "The photo's resolution is too high (at most 50 megapixels). Please choose a smaller one."}
)

func (d *decoder) multipart(mr *multipart.Reader) {
	for n := 0; ; n++ {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			d.readFailed(err)
			return
		}
		if n >= maxParts {
			d.fail(errMalformed)
			return
		}
		name := p.FormName()
		if name == fieldPhotos {
			if err := d.photo(p); err != nil {
				d.readFailed(err)
				return
			}
			continue
		}
		limit, known := textLimit(name)
		if !known || p.FileName() != "" {
			// An old cached page or a browser add-on may send more: ignore
			// it, but read it through the body limit like anything else.
			if _, err := io.Copy(io.Discard, p); err != nil {
				d.readFailed(err)
				return
			}
			continue
		}
		raw, err := io.ReadAll(io.LimitReader(p, int64(limit)+1))
		if err != nil {
			d.readFailed(err)
			return
		}
		if len(raw) > limit {
			if _, err := io.Copy(io.Discard, p); err != nil {
				d.readFailed(err)
				return
			}
		}
		d.text(name, raw, len(raw) > limit)
	}
}

func (d *decoder) urlencoded(body io.Reader) {
	raw, err := io.ReadAll(io.LimitReader(body, maxTextBodyBytes+1))
	if err != nil {
		d.readFailed(err)
		return
	}
	if len(raw) > maxTextBodyBytes {
		d.fail(errBodyTooLarge)
		return
	}
	vals, err := url.ParseQuery(string(raw))
	if err != nil {
		d.fail(errMalformed)
		return
	}
	// A fixed order, so that the same body always gives the same messages.
	for _, name := range []string{fieldToken, fieldLang, fieldContent, fieldCategory, fieldWard, fieldAddress, fieldName, fieldPhone, fieldHoneypot} {
		limit, _ := textLimit(name)
		for _, v := range vals[name] {
			d.text(name, []byte(v), len(v) > limit)
		}
	}
}

func (d *decoder) photo(p *multipart.Part) error {
	data, err := io.ReadAll(io.LimitReader(p, feedback.MaxUploadBytes+1))
	if err != nil {
		return err
	}
	if len(data) == 0 && p.FileName() == "" {
		return nil // a file input left empty: browsers still send the part
	}
	d.in.Attached++
	if d.in.Attached > feedback.MaxUploadsPerForm {
		d.fail(errTooManyPhotos)
		_, err := io.Copy(io.Discard, p)
		return err
	}
	if len(data) > feedback.MaxUploadBytes {
		d.fail(errPhotoTooLarge)
		_, err := io.Copy(io.Discard, p)
		return err
	}
	// The client's Content-Type and file name say nothing reliable; the
	// bytes do. DetectContentType reads at most the first 512 of them.
	ct := http.DetectContentType(data)
	if !acceptedImage(ct) {
		d.fail(errPhotoType)
		return nil
	}
	// From here on, only the picture: not where, when or with what phone
	// it was taken (see photometa.go).
	data, err = withoutMetadata(ct, data)
	switch {
	case errors.Is(err, errTooManyPixels):
		d.fail(errPhotoPixels)
		return nil
	case err != nil:
		d.fail(errPhotoDamaged)
		return nil
	}
	d.in.Photos = append(d.in.Photos, photo{Data: data, ContentType: ct})
	return nil
}

// textLimit is the most bytes a text field may take (four per rune of its
// rune limit), and whether the field is one of ours.
func textLimit(name string) (int, bool) {
	switch name {
	case fieldContent:
		return 4 * feedback.MaxContentRunes, true
	case fieldAddress:
		return 4 * feedback.MaxAddressRunes, true
	case fieldCategory, fieldWard, fieldName, fieldPhone, fieldHoneypot:
		return 4 * feedback.MaxShortRunes, true
	case fieldToken:
		return 128, true
	case fieldLang:
		return 8, true
	}
	return 0, false
}

func runeLimit(name string) int {
	switch name {
	case fieldContent:
		return feedback.MaxContentRunes
	case fieldAddress:
		return feedback.MaxAddressRunes
	}
	return feedback.MaxShortRunes
}

// text checks one text field and stores what can be shown again: valid
// UTF-8 without control characters, even when the field is in error.
func (d *decoder) text(name string, raw []byte, truncated bool) {
	if d.seen == nil {
		d.seen = make(map[string]bool)
	}
	if d.seen[name] {
		d.fail(errMalformed) // a field twice: not something our page sends
		return
	}
	d.seen[name] = true
	multiline := name == fieldContent
	var problem *feedback.Error
	if !utf8.Valid(raw) {
		problem = feedback.Invalid(name, "Văn bản có ký tự không hợp lệ (không đúng mã UTF-8).",
			"The text contains invalid characters (not UTF-8).")
		raw = bytes.ToValidUTF8(raw, []byte("\uFFFD"))
	}
	s := string(raw)
	if multiline {
		// Browsers send a textarea's line breaks as CRLF.
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	}
	clean := stripControl(s, multiline)
	if clean != s && problem == nil {
		problem = feedback.Invalid(name, "Văn bản chứa ký tự điều khiển không được phép.",
			"The text contains control characters that are not allowed.")
	}
	s = strings.TrimSpace(clean)
	if (truncated || utf8.RuneCountInString(s) > runeLimit(name)) && problem == nil {
		problem = tooLong(name)
	}
	if problem != nil {
		d.fail(problem)
	}
	switch name {
	case fieldToken:
		d.in.Token = s
	case fieldLang:
		d.in.Lang = s
	case fieldContent:
		d.in.Content = s
	case fieldCategory:
		d.in.Category = s
	case fieldWard:
		d.in.Ward = s
	case fieldAddress:
		d.in.Address = s
	case fieldName:
		d.in.Name = s
	case fieldPhone:
		d.in.Phone = s
		if problem == nil && s != "" {
			p, ok := normalizePhone(s)
			if !ok {
				d.fail(feedback.Invalid(fieldPhone,
					"Số điện thoại không hợp lệ. Ví dụ đúng: 0901 234 567.",
					"That phone number is not valid. For example: 0901 234 567."))
			} else {
				d.in.Phone = p
			}
		}
	case fieldHoneypot:
		d.in.Honeypot = s
	}
}

func tooLong(name string) *feedback.Error {
	switch name {
	case fieldContent:
		return feedback.Invalid(name, "Nội dung quá dài: tối đa 5000 ký tự.", "The description is too long: at most 5,000 characters.")
	case fieldAddress:
		return feedback.Invalid(name, "Địa chỉ quá dài: tối đa 500 ký tự.", "The address is too long: at most 500 characters.")
	}
	return feedback.Invalid(name, "Văn bản quá dài: tối đa 200 ký tự.", "The text is too long: at most 200 characters.")
}

// stripControl drops control characters (keeping line breaks and tabs in
// multi-line text) and Unicode non-characters a form has no use for.
func stripControl(s string, multiline bool) string {
	return strings.Map(func(r rune) rune {
		if multiline && (r == '\n' || r == '\t') {
			return r
		}
		if unicode.IsControl(r) || r == '\uFFFE' || r == '\uFFFF' {
			return -1
		}
		return r
	}, s)
}

// normalizePhone keeps a leading + and the digits of a number written with
// spaces, dots, dashes or brackets, and checks it has 8 to 15 digits (E.164).
func normalizePhone(s string) (string, bool) {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')':
		default:
			return "", false
		}
	}
	p := b.String()
	digits := len(strings.TrimPrefix(p, "+"))
	return p, digits >= 8 && digits <= 15
}
