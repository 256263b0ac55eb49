package website

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// Languages: Vietnamese first, English on request.
const (
	langVI     = "vi"
	langEN     = "en"
	langCookie = "pakn_lang"
	langParam  = "lang"
)

// langOf picks the page's language: ?lang= (remembered in a cookie), then
// the cookie, then Vietnamese. Accept-Language is not consulted: the site
// speaks Vietnamese first to everyone, and English to whoever asks.
func langOf(c echo.Context, secure bool) string {
	if q := c.QueryParam(langParam); q == langVI || q == langEN {
		c.SetCookie(&http.Cookie{
			Name: langCookie, Value: q, Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
			HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode,
		})
		return q
	}
	if ck, err := c.Cookie(langCookie); err == nil && (ck.Value == langVI || ck.Value == langEN) {
		return ck.Value
	}
	return langVI
}

// text is one message in both languages.
type text struct{ vi, en string }

// messages is every fixed text of the pages. It is read-only data; the
// views check at start that each key the templates use is here.
var messages = map[string]text{
	"site.name":    {"Phản ánh, kiến nghị", "Feedback to the district"},
	"site.tagline": {"Gửi ý kiến đến chính quyền quận và theo dõi câu trả lời", "Tell the district what needs fixing and follow the answer"},
	"skip":         {"Bỏ qua, đến nội dung chính", "Skip to main content"},
	"nav.label":    {"Điều hướng", "Navigation"},
	"nav.form":     {"Gửi phản ánh", "Send feedback"},
	"nav.track":    {"Tra cứu phản ánh", "Track feedback"},
	"footer": {"Tên và số điện thoại của bạn chỉ dùng để giải quyết phản ánh và không bao giờ được công khai.",
		"Your name and phone number are used only to deal with your feedback and are never made public."},

	"required":       {"bắt buộc", "required"},
	"optional":       {"không bắt buộc", "optional"},
	"error":          {"Lỗi", "Error"},
	"error.prefix":   {"Lỗi:", "Error:"},
	"error.summary":  {"Chưa gửi được phản ánh. Vui lòng sửa các mục sau:", "Your feedback has not been sent yet. Please fix the following:"},
	"error.notfound": {"Không tìm thấy trang", "Page not found"},
	"error.notfound.text": {"Địa chỉ này không có trên trang. Bạn có thể gửi phản ánh mới hoặc tra cứu phản ánh đã gửi.",
		"There is nothing at this address. You can send new feedback or track feedback you sent."},
	"error.other":       {"Đã có lỗi xảy ra", "Something went wrong"},
	"error.unavailable": {"Hệ thống đang bận", "The service is busy"},

	"form.title": {"Gửi phản ánh, kiến nghị", "Send feedback"},
	"form.lead": {"Hãy cho chúng tôi biết vấn đề bạn gặp: đường hư, ngập nước, rác thải, đèn đường, trật tự đô thị hay thủ tục hành chính. Phản ánh được chuyển ngay đến cán bộ phụ trách.",
		"Tell us about a problem: a damaged road, flooding, rubbish, street lights, street order or an administrative procedure. Your feedback goes straight to the official responsible."},
	"form.content": {"Nội dung phản ánh", "What is the problem?"},
	"form.content.hint": {"Mô tả vấn đề, nơi xảy ra và từ khi nào. Tối đa 5000 ký tự.",
		"Describe the problem, where it is and since when. At most 5,000 characters."},
	"form.category":      {"Lĩnh vực", "Subject"},
	"form.category.hint": {"Nếu không chắc, hãy để trống: cán bộ sẽ phân loại giúp bạn.", "If you are not sure, leave it: an official will sort it."},
	"form.category.none": {"Không rõ / để cán bộ phân loại", "Not sure / let an official decide"},
	"form.where":         {"Nơi xảy ra", "Where is it?"},
	"form.ward":          {"Phường", "Ward"},
	"form.ward.none":     {"Không rõ", "Not sure"},
	"form.address":       {"Địa chỉ hoặc mô tả vị trí", "Address or description of the place"},
	"form.address.hint":  {"Ví dụ: trước số 12 đường Tên Lửa, gần chợ.", "For example: in front of 12 Ten Lua Street, near the market."},
	"form.photos":        {"Ảnh", "Photos"},
	"form.photos.hint": {"Tối đa 3 ảnh JPEG, PNG hoặc WebP, mỗi ảnh không quá 5 MB. Vị trí chụp và thông tin về máy ảnh trong ảnh sẽ được xoá trước khi lưu.",
		"Up to 3 photos (JPEG, PNG or WebP), each up to 5 MB. The place a photo was taken and the camera details in it are removed before it is stored."},
	"form.photos.again": {"Vì lý do an toàn, ảnh bạn đã chọn không được giữ lại. Vui lòng chọn lại ảnh trước khi gửi.",
		"For your safety, the photos you chose were not kept. Please choose them again before sending."},
	"form.photo":   {"Ảnh", "Photo"},
	"form.contact": {"Thông tin liên hệ", "Your contact details"},
	"form.contact.hint": {"Bạn có thể gửi ẩn danh: tên và số điện thoại không bắt buộc. Nếu để lại số điện thoại, cán bộ có thể gọi để hỏi thêm. Thông tin này không bao giờ được công khai.",
		"You can stay anonymous: name and phone are optional. If you leave a phone number, an official may call you to ask more. These details are never made public."},
	"form.name":       {"Họ và tên", "Full name"},
	"form.phone":      {"Số điện thoại", "Phone number"},
	"form.phone.hint": {"Ví dụ: 0901 234 567", "For example: 0901 234 567"},
	"form.hp":         {"Để trống ô này", "Leave this empty"},
	"form.submit":     {"Gửi phản ánh", "Send feedback"},
	"form.after":      {"Sau khi gửi, bạn sẽ nhận được một mã theo dõi.", "When you send it, you will get a tracking code."},

	"sent.title": {"Đã gửi phản ánh", "Feedback sent"},
	"sent.code":  {"Mã theo dõi của bạn là", "Your tracking code is"},
	"sent.keep": {"Hãy ghi lại hoặc chụp màn hình mã này. Khi gọi điện hỏi về phản ánh, chỉ cần đọc mã này.",
		"Write this code down or take a screenshot. If you call us about your feedback, just read out the code."},
	"sent.next": {"Điều gì xảy ra tiếp theo", "What happens next"},
	"sent.step1": {"Trong vài phút, phản ánh được chuyển đến đơn vị phụ trách và giao cho một cán bộ cụ thể.",
		"Within minutes, your feedback goes to the unit responsible and to a named official."},
	"sent.step2": {"Cán bộ trả lời trong vòng 10 ngày làm việc (15 ngày nếu cần nhiều cơ quan phối hợp).",
		"The official answers within 10 working days (15 if several agencies are involved)."},
	"sent.step3": {"Câu trả lời được đăng trên trang theo dõi. Bạn có thể xem tình trạng bất kỳ lúc nào.",
		"The answer is posted on the tracking page. You can check the status at any time."},
	"sent.track":   {"Xem tình trạng phản ánh", "See the status of your feedback"},
	"sent.another": {"Gửi phản ánh khác", "Send other feedback"},

	"track.title":         {"Tình trạng phản ánh", "Feedback status"},
	"track.code":          {"Mã theo dõi", "Tracking code"},
	"track.status":        {"Tình trạng", "Status"},
	"track.category":      {"Lĩnh vực", "Subject"},
	"track.ward":          {"Phường", "Ward"},
	"track.unit":          {"Đơn vị phụ trách", "Responsible unit"},
	"track.received":      {"Ngày tiếp nhận", "Received on"},
	"track.deadline":      {"Hạn trả lời", "Answer due by"},
	"track.overdue":       {"Quá hạn", "Overdue"},
	"track.content":       {"Nội dung phản ánh", "What was reported"},
	"track.answers":       {"Câu trả lời", "Answers"},
	"track.noanswer":      {"Chưa có câu trả lời.", "No answer yet."},
	"track.by":            {"Trả lời bởi", "Answered by"},
	"track.unknown":       {"Chưa xác định", "Not decided yet"},
	"track.uncategorised": {"Chưa phân loại", "Not sorted yet"},
	"track.lookup":        {"Tra cứu phản ánh", "Track feedback"},
	"track.lookup.other":  {"Tra cứu mã khác", "Look up another code"},
	"track.lookup.label":  {"Mã theo dõi", "Tracking code"},
	"track.lookup.hint": {"Mã gồm 8 ký tự, ví dụ 7K3M-9QXT. Không phân biệt chữ hoa, chữ thường.",
		"The code has 8 characters, for example 7K3M-9QXT. Upper or lower case both work."},
	"track.lookup.invalid": {"Đây không phải là mã theo dõi. Mã gồm 8 chữ và số, ví dụ 7K3M-9QXT.",
		"That is not a tracking code. A code has 8 letters and digits, for example 7K3M-9QXT."},
	"track.lookup.lead": {"Nhập mã theo dõi bạn nhận được khi gửi phản ánh để xem tình trạng xử lý và câu trả lời.",
		"Enter the tracking code you were given when you sent your feedback to see its status and the answer."},
	"error.lookup":        {"Có lỗi", "There is a problem"},
	"track.lookup.submit": {"Tra cứu", "Look up"},
	"track.notfound":      {"Không tìm thấy phản ánh", "No feedback found"},
	"track.notfound.text": {"Không có phản ánh nào với mã này. Vui lòng kiểm tra lại mã.",
		"There is no feedback with this code. Please check the code."},

	"status.pending":         {"Đã tiếp nhận, đang phân công", "Received, being assigned"},
	"status.pending.detail":  {"Phản ánh đã được tiếp nhận và đang được chuyển đến đơn vị phụ trách. Vui lòng xem lại sau ít phút.", "Your feedback has been received and is on its way to the unit responsible. Please check again in a few minutes."},
	"status.triage":          {"Đang xác định đơn vị phụ trách", "Finding the unit responsible"},
	"status.triage.detail":   {"Cán bộ điều phối đang xác định đơn vị giải quyết phản ánh này.", "A coordinator is deciding which unit will handle this feedback."},
	"status.assigned":        {"Đang xử lý", "Being handled"},
	"status.assigned.detail": {"Phản ánh đã được giao cho cán bộ phụ trách và đang chờ trả lời.", "An official is in charge of this feedback and will answer."},
	"status.linked":          {"Đang xử lý cùng phản ánh tương tự", "Being handled with a similar report"},
	"status.linked.detail":   {"Người dân khác đã phản ánh cùng vấn đề tại cùng địa điểm; cán bộ phụ trách sẽ trả lời chung và bạn cũng nhận được câu trả lời.", "Others reported the same problem at the same place; the official answers them together and you will receive the answer too."},
	"status.answered":        {"Đã trả lời", "Answered"},
	"status.answered.detail": {"Cán bộ phụ trách đã trả lời phản ánh này. Xem câu trả lời bên dưới.", "The official has answered. See the answer below."},
	"status.resolved":        {"Đã giải quyết xong", "Resolved"},
	"status.resolved.detail": {"Phản ánh đã được giải quyết và đóng lại.", "This feedback has been dealt with and closed."},

	"rate.limited": {"Bạn đã gửi nhiều phản ánh trong thời gian ngắn. Vui lòng đợi khoảng một phút rồi bấm “Gửi phản ánh” lần nữa; nội dung bạn nhập vẫn được giữ.",
		"You have sent a lot of feedback in a short time. Please wait about a minute and press “Send feedback” again; what you typed is kept."},
	"unavailable": {"Hệ thống đang bận nên chưa gửi được phản ánh. Nội dung bạn nhập vẫn được giữ; vui lòng thử lại sau ít phút.",
		"The service is busy and your feedback has not been sent yet. What you typed is kept; please try again in a few minutes."},
	"conflict": {"Biểu mẫu này đã được dùng để gửi một phản ánh khác. Nội dung bạn nhập vẫn được giữ; vui lòng bấm “Gửi phản ánh” để gửi thành phản ánh mới.",
		"This form was already used to send different feedback. What you typed is kept; press “Send feedback” to send it as new feedback."},
	"cross.site": {"Biểu mẫu này không được gửi từ trang của chúng tôi nên đã bị từ chối.",
		"This form was not sent from our site, so it was refused."},
	"ward.unknown":     {"Vui lòng chọn phường trong danh sách.", "Please choose a ward from the list."},
	"category.unknown": {"Vui lòng chọn lĩnh vực trong danh sách.", "Please choose a subject from the list."},
	"content.missing":  {"Vui lòng nhập nội dung phản ánh.", "Please describe the problem."},
}
