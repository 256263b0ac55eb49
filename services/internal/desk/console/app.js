// The officials' console. It only calls the desk API (/desk/v1) and, for
// supervisors, the organisation (/admin/v1/organisation). Vietnamese first,
// English on request (remembered in localStorage). No dependencies, no build.
//
// Every string that comes from a citizen or an official goes into the page
// through the html`` template below, which escapes it; URLs are checked to
// be http(s) before they become a link, an image or a recording.
"use strict";
(function () {
  // ---------------------------------------------------------------- strings

  const plural = (n, one, many) => n + " " + (n === 1 ? one : many);
  const STR = {
    vi: {
      skip: "Bỏ qua, đến nội dung chính",
      appTitle: "Bàn làm việc cán bộ",
      signInTitle: "Đăng nhập",
      signInHelp: "Dành cho cán bộ, lãnh đạo đơn vị, điều phối viên và giám sát viên.",
      username: "Tên đăng nhập",
      password: "Mật khẩu",
      signIn: "Đăng nhập",
      signingIn: "Đang đăng nhập…",
      signOut: "Đăng xuất",
      signedOut: "Đã đăng xuất.",
      expired: "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.",
      needCredentials: "Vui lòng nhập tên đăng nhập và mật khẩu.",
      langToggle: "English",
      inboxTitle: "Phản ánh cần xử lý",
      inboxCaption: "Danh sách phản ánh, hạn sớm nhất trước. Mũi tên lên, xuống để chuyển dòng; Enter để mở.",
      scope: "Phạm vi",
      scope_mine: "Của tôi",
      scope_unit: "Đơn vị",
      scope_all: "Toàn quận",
      statusFilter: "Trạng thái",
      fOpen: "Cần xử lý",
      fActive: "Chưa kết thúc (cả đã trả lời)",
      search: "Tìm",
      searchHint: "Mã, nội dung, địa chỉ…",
      refresh: "Làm mới",
      colDeadline: "Hạn xử lý",
      colItem: "Phản ánh",
      colStatus: "Trạng thái",
      colOwner: "Đơn vị · cán bộ",
      updatedAt: (s) => "Cập nhật lúc " + s + " · tự làm mới mỗi 30 giây",
      loading: "Đang tải…",
      empty: "Không có phản ánh nào trong mục này.",
      emptySearch: "Không có phản ánh nào khớp với từ khoá.",
      openCode: (c) => "Mở phản ánh " + c,
      newItems: (n) => "Có " + n + " phản ánh mới trong danh sách.",
      titleOverdue: (n) => "(" + n + " quá hạn) ",
      resolvedHint: "Phản ánh đã giải quyết được chuyển vào lưu trữ sau ít phút và không còn trong danh sách; nhập mã phản ánh vào ô Tìm để mở lại.",
      summary: (n, over, triage) => n + " phản ánh" + (over ? " · " + over + " quá hạn" : "") + (triage ? " · " + triage + " chờ phân loại" : ""),
      limited: (n) => " (chỉ hiện " + n + " phản ánh có hạn sớm nhất)",
      st_assigned: "Đang xử lý",
      st_triage: "Chờ phân loại",
      st_answered: "Đã trả lời",
      st_resolved: "Đã giải quyết",
      st_linked: "Trùng, đã gộp",
      linkedTo: (c) => "trùng với " + c,
      linkedTitle: "Phản ánh trùng",
      linkedHelp: "Phản ánh này trùng với phản ánh dưới đây và được trả lời cùng: khi phản ánh đó được trả lời hoặc kết thúc, công dân này cũng nhận được.",
      openLinked: (c) => "Mở phản ánh " + c,
      linkedNoPublic: "Phản ánh trùng chỉ ghi chú nội bộ được; hãy trả lời ở phản ánh chính.",
      unlinkTitle: "Tách thành phản ánh riêng",
      unlinkHelp: "Nếu không thật sự trùng: phản ánh được giao cho cán bộ đang trực của đơn vị, với hạn riêng.",
      unlink: "Tách phản ánh",
      unlinked: "Đã tách thành phản ánh riêng.",
      overdue: "Quá hạn",
      left: (s) => "còn " + s,
      late: (s) => "quá hạn " + s,
      doneAnswered: "đã trả lời",
      doneResolved: "đã kết thúc",
      minutes: (n) => n + " phút",
      hours: (n) => n + " giờ",
      days: (n) => n + " ngày",
      and: " ",
      ch_hotline: "Đường dây nóng",
      ch_website: "Trang web quận",
      ch_citizenapp: "Ứng dụng Công dân số",
      ch_portal: "Cổng dịch vụ công",
      role_official: "Cán bộ",
      role_head: "Lãnh đạo đơn vị",
      role_coordinator: "Điều phối viên",
      role_supervisor: "Giám sát viên",
      role_operator: "Tổng đài viên",
      unassigned: "Chưa giao",
      noUnit: "Chưa xác định đơn vị",
      back: "Danh sách",
      close: "Đóng",
      ticketOf: (c) => "Phản ánh " + c,
      deadline: "Hạn",
      received: "Tiếp nhận",
      answeredAt: "Trả lời lúc",
      content: "Nội dung phản ánh",
      noTitle: "(không có tiêu đề)",
      facts: "Thông tin",
      address: "Địa chỉ",
      ward: "Phường",
      neighbourhood: "Khu phố",
      channel: "Kênh tiếp nhận",
      category: "Lĩnh vực",
      unit: "Đơn vị xử lý",
      assignee: "Cán bộ phụ trách",
      location: "Vị trí",
      onMap: "xem bản đồ",
      none: "—",
      citizen: "Người phản ánh",
      anonymous: "Ẩn danh",
      anonymousHelp: "Công dân không để lại thông tin liên hệ.",
      name: "Họ tên",
      phone: "Điện thoại",
      email: "Thư điện tử",
      citizenId: "Mã công dân",
      triageReason: "Lý do chờ phân loại",
      attachments: "Tệp đính kèm",
      openFull: (n) => "Mở ảnh " + n + " cỡ đầy đủ",
      recording: "Ghi âm cuộc gọi",
      recordingLink: "Tải ghi âm",
      rating: "Đánh giá của công dân",
      ratingOf: (n) => n + "/5 điểm",
      conversation: "Trả lời và ghi chú nội bộ",
      noReplies: "Chưa có trả lời hay ghi chú nào.",
      publicBadge: "Đã gửi công dân",
      noteBadge: "Ghi chú nội bộ",
      replyTitle: "Trả lời",
      kindPublic: "Trả lời công dân",
      kindPublicHelp: (ch) => "Gửi đến công dân qua " + ch + "; phản ánh chuyển sang “Đã trả lời”.",
      kindNote: "Ghi chú nội bộ",
      kindNoteHelp: "Chỉ cán bộ thấy; công dân không nhận được.",
      body: "Nội dung",
      count: (n) => n + " / 5000 ký tự",
      sendPublic: "Gửi trả lời cho công dân",
      sendNote: "Lưu ghi chú nội bộ",
      sending: "Đang gửi…",
      bodyRequired: "Vui lòng nhập nội dung.",
      sentPublic: "Đã gửi trả lời cho công dân.",
      sentNote: "Đã lưu ghi chú nội bộ.",
      resolveTitle: "Kết thúc phản ánh",
      resolveHelp: "Công dân đã nhận câu trả lời. Kết thúc khi việc đã xong.",
      resolveNeedsAnswer: "Cần gửi trả lời cho công dân trước, sau đó mới kết thúc được phản ánh.",
      resolveNote: "Ghi chú khi kết thúc (không bắt buộc)",
      resolve: "Kết thúc phản ánh",
      resolved: "Đã kết thúc phản ánh.",
      assignTitleTriage: "Phân loại và giao xử lý",
      assignTitle: "Giao cho đơn vị, cán bộ khác",
      reassignTitle: "Giao lại cho cán bộ khác trong đơn vị",
      assignUnit: "Đơn vị xử lý",
      assignCategory: "Lĩnh vực",
      assignWard: "Phường",
      assignOfficial: "Cán bộ xử lý",
      assignOfficialHelp: "Để trống: giao cho cán bộ trong ca trực hôm nay có ít việc nhất (hoặc cán bộ đang trực khác nếu ca vắng).",
      keep: "— giữ như hiện tại —",
      choose: "— chọn —",
      auto: "— tự động —",
      multi: "Phản ánh liên quan nhiều cơ quan (hạn 15 ngày làm việc kể từ khi tiếp nhận)",
      assignNote: "Ghi chú giao việc (không bắt buộc)",
      assign: "Giao xử lý",
      reassign: "Giao lại",
      assigned: (who) => "Đã giao cho " + who + ".",
      codesHint: "Vai trò của bạn chưa đọc được danh mục tổ chức; gợi ý lấy từ các phản ánh đang hiển thị. Có thể nhập mã, ví dụ ward-an-lac.",
      officialsHint: "Gợi ý lấy từ các phản ánh của đơn vị đang hiển thị; có thể nhập tên đăng nhập của cán bộ.",
      unitRequired: "Vui lòng chọn đơn vị xử lý.",
      categoryRequired: "Vui lòng chọn lĩnh vực.",
      readOnlySupervisor: "Giám sát viên theo dõi phản ánh, không trả lời hay giao việc.",
      readOnly: (who) => "Phản ánh này do " + who + " phụ trách; bạn chỉ được xem.",
      readOnlyDone: "Phản ánh đã kết thúc.",
      history: "Lịch sử xử lý",
      ev_routed: "Tiếp nhận và phân công",
      ev_routed_triage: "Tiếp nhận, chuyển điều phối viên phân loại",
      ev_assigned: "Giao xử lý",
      ev_replied_public: "Trả lời công dân",
      ev_replied_note: "Ghi chú nội bộ",
      ev_replied: "Trả lời",
      ev_resolved: "Kết thúc phản ánh",
      ev_rated: "Công dân đánh giá",
      ev_unlinked: "Tách khỏi phản ánh trùng",
      ev_reopened: "Công dân chưa hài lòng, mở lại",
      by: "bởi",
      to: "giao cho",
      actor_router: "hệ thống tự động",
      actor_citizen: "công dân",
      netError: "Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.",
      httpError: (s) => "Máy chủ trả lỗi " + s + ". Vui lòng thử lại.",
      navLabel: "Chuyển trang",
      navInbox: "Phản ánh",
      navRoster: "Lịch trực",
      rosterTitle: "Lịch trực",
      rosterHelp: "Mỗi ngày làm việc, một ca cán bộ nhận phản ánh mới của đơn vị, lần lượt từ Ca 1 rồi quay vòng; phản ánh đến sau 17:00 hoặc vào ngày nghỉ do ca của ngày làm việc kế tiếp nhận.",
      rosterUnit: "Đơn vị",
      chooseUnit: "— chọn đơn vị —",
      chooseUnitHint: "Chọn một đơn vị để xem và sửa lịch trực.",
      noSuchUnit: (u) => "Không có đơn vị " + u + ".",
      rosterCurrent: "Lịch trực hiện tại",
      rosterNone: "Đơn vị chưa có lịch trực: mọi cán bộ đang trực nhận phản ánh mới mỗi ngày.",
      rosterSince: "Bắt đầu từ",
      rosterCount: (n) => n + " ca, quay vòng",
      rosterCaption: "Các ca trực theo thứ tự; ca trực hôm nay được đánh dấu.",
      colShift: "Ca",
      colOfficials: "Cán bộ trực",
      shiftN: (n) => "Ca " + n,
      todayShift: "Ca trực hôm nay",
      todayHelp: "Ca trực hôm nay là ca đang nhận phản ánh mới; sau 17:00 và vào ngày nghỉ là ca của ngày làm việc kế tiếp.",
      noDeskToday: "Hôm nay lịch trực chưa có hiệu lực (ngày bắt đầu ở phía trước).",
      editRoster: "Sửa lịch trực",
      newRoster: "Lập lịch trực",
      rosterStart: "Ngày bắt đầu (Ca 1 trực ngày làm việc đầu tiên kể từ ngày này)",
      addShift: "Thêm ca",
      removeShift: (n) => "Xoá ca " + n,
      shiftRemoved: (n) => "Đã xoá ca " + n + ".",
      notInUnit: "không thuộc đơn vị",
      changeReason: "Lý do thay đổi (không bắt buộc)",
      saveRoster: "Lưu lịch trực",
      deleteRoster: "Xoá lịch trực",
      deleteRosterConfirm: "Xoá lịch trực của đơn vị? Sau đó mọi cán bộ đang trực đều nhận phản ánh mới mỗi ngày.",
      rosterSaved: "Đã lưu lịch trực.",
      rosterDeleted: "Đã xoá lịch trực.",
      startRequired: "Vui lòng chọn ngày bắt đầu.",
      shiftEmpty: (n) => "Ca " + n + " cần ít nhất một cán bộ.",
      noStaff: "Đơn vị chưa có cán bộ nhận phản ánh.",
      staffTitle: "Cán bộ và ngày nghỉ",
      leaveHelp: "Trong những ngày nghỉ, hệ thống không giao phản ánh mới cho cán bộ, dù có tên trong ca trực; việc đang giữ vẫn ở lại với họ.",
      onLeave: "Đang nghỉ",
      onDesk: "Trong ca trực hôm nay",
      offDuty: "Không trực",
      inactive: "Ngừng hoạt động",
      noLeave: "Không có ngày nghỉ.",
      leaveList: (who) => "Ngày nghỉ của " + who,
      remove: "Xoá",
      removeLeave: (who, when) => "Xoá ngày nghỉ " + when + " của " + who,
      addLeaveTitle: "Ghi ngày nghỉ",
      leaveWho: "Cán bộ",
      leaveFrom: "Từ ngày",
      leaveTo: "Đến hết ngày",
      leaveReason: "Lý do (nghỉ phép, công tác, ốm…; không bắt buộc)",
      addLeave: "Ghi ngày nghỉ",
      leaveSaved: (who) => "Đã ghi ngày nghỉ của " + who + ".",
      leaveRemoved: (who) => "Đã xoá ngày nghỉ của " + who + ".",
      leaveWhoRequired: "Vui lòng chọn cán bộ.",
      leaveDatesRequired: "Vui lòng chọn ngày bắt đầu và ngày kết thúc nghỉ.",
      leaveOrder: "Ngày kết thúc nghỉ phải từ ngày bắt đầu trở đi.",
    },
    en: {
      skip: "Skip to main content",
      appTitle: "Officials' desk",
      signInTitle: "Sign in",
      signInHelp: "For officials, unit heads, coordinators and supervisors.",
      username: "Username",
      password: "Password",
      signIn: "Sign in",
      signingIn: "Signing in…",
      signOut: "Sign out",
      signedOut: "Signed out.",
      expired: "Your session has expired. Please sign in again.",
      needCredentials: "Please enter your username and password.",
      langToggle: "Tiếng Việt",
      inboxTitle: "Feedback to handle",
      inboxCaption: "Feedback, earliest deadline first. Arrow keys move between rows; Enter opens one.",
      scope: "Scope",
      scope_mine: "Mine",
      scope_unit: "My unit",
      scope_all: "Whole district",
      statusFilter: "Status",
      fOpen: "To do",
      fActive: "Not closed (answered too)",
      search: "Search",
      searchHint: "Code, text, address…",
      refresh: "Refresh",
      colDeadline: "Deadline",
      colItem: "Feedback",
      colStatus: "Status",
      colOwner: "Unit · official",
      updatedAt: (s) => "Updated at " + s + " · refreshes every 30 seconds",
      loading: "Loading…",
      empty: "Nothing here.",
      emptySearch: "Nothing matches the search.",
      openCode: (c) => "Open item " + c,
      newItems: (n) => plural(n, "new item", "new items") + " in the list.",
      titleOverdue: (n) => "(" + n + " overdue) ",
      resolvedHint: "Resolved items move to the archive after a few minutes and leave this list; type an item's code in Search to open it.",
      summary: (n, over, triage) => plural(n, "item", "items") + (over ? " · " + over + " overdue" : "") + (triage ? " · " + triage + " awaiting triage" : ""),
      limited: (n) => " (only the " + n + " with the earliest deadlines)",
      st_assigned: "In progress",
      st_triage: "Awaiting triage",
      st_answered: "Answered",
      st_resolved: "Resolved",
      st_linked: "Duplicate, linked",
      linkedTo: (c) => "same as " + c,
      linkedTitle: "Duplicate",
      linkedHelp: "This item reports the same thing as the one below and is answered with it: when that one is answered or closed, this citizen hears it too.",
      openLinked: (c) => "Open item " + c,
      linkedNoPublic: "A linked duplicate takes internal notes only; answer the main item.",
      unlinkTitle: "Make it an item of its own",
      unlinkHelp: "If it is not really the same: the item goes to the unit's official on duty, with its own deadline.",
      unlink: "Unlink",
      unlinked: "The item is now one of its own.",
      overdue: "Overdue",
      left: (s) => s + " left",
      late: (s) => s + " overdue",
      doneAnswered: "answered",
      doneResolved: "closed",
      minutes: (n) => plural(n, "minute", "minutes"),
      hours: (n) => plural(n, "hour", "hours"),
      days: (n) => plural(n, "day", "days"),
      and: " ",
      ch_hotline: "Hotline",
      ch_website: "District website",
      ch_citizenapp: "Digital Citizen app",
      ch_portal: "Public-service portal",
      role_official: "Official",
      role_head: "Unit head",
      role_coordinator: "Coordinator",
      role_supervisor: "Supervisor",
      role_operator: "Hotline operator",
      unassigned: "Not assigned",
      noUnit: "Unit not known yet",
      back: "List",
      close: "Close",
      ticketOf: (c) => "Feedback " + c,
      deadline: "Deadline",
      received: "Received",
      answeredAt: "Answered at",
      content: "What the citizen wrote",
      noTitle: "(no title)",
      facts: "Details",
      address: "Address",
      ward: "Ward",
      neighbourhood: "Neighbourhood",
      channel: "Channel",
      category: "Category",
      unit: "Responsible unit",
      assignee: "Assigned official",
      location: "Location",
      onMap: "see on a map",
      none: "—",
      citizen: "Citizen",
      anonymous: "Anonymous",
      anonymousHelp: "The citizen left no contact details.",
      name: "Name",
      phone: "Phone",
      email: "Email",
      citizenId: "Citizen id",
      triageReason: "Why it awaits triage",
      attachments: "Attachments",
      openFull: (n) => "Open image " + n + " full size",
      recording: "Call recording",
      recordingLink: "Download the recording",
      rating: "Citizen's rating",
      ratingOf: (n) => n + " out of 5",
      conversation: "Replies and internal notes",
      noReplies: "No replies or notes yet.",
      publicBadge: "Sent to the citizen",
      noteBadge: "Internal note",
      replyTitle: "Reply",
      kindPublic: "Answer the citizen",
      kindPublicHelp: (ch) => "Sent to the citizen through the " + ch + "; the item becomes “Answered”.",
      kindNote: "Internal note",
      kindNoteHelp: "Only officials see it; the citizen does not.",
      body: "Text",
      count: (n) => n + " / 5000 characters",
      sendPublic: "Send the answer to the citizen",
      sendNote: "Save the internal note",
      sending: "Sending…",
      bodyRequired: "Please write something.",
      sentPublic: "The answer was sent to the citizen.",
      sentNote: "The internal note was saved.",
      resolveTitle: "Close this item",
      resolveHelp: "The citizen has their answer. Close the item once the work is done.",
      resolveNeedsAnswer: "Answer the citizen first; then the item can be closed.",
      resolveNote: "Closing note (optional)",
      resolve: "Close the item",
      resolved: "The item is closed.",
      assignTitleTriage: "Triage and assign",
      assignTitle: "Hand to another unit or official",
      reassignTitle: "Hand to another official of the unit",
      assignUnit: "Responsible unit",
      assignCategory: "Category",
      assignWard: "Ward",
      assignOfficial: "Official to handle it",
      assignOfficialHelp: "Leave empty for the official on today's shift with the fewest items (or another on duty if the shift is away).",
      keep: "— keep as it is —",
      choose: "— choose —",
      auto: "— automatic —",
      multi: "Involves several agencies (deadline 15 working days from receipt)",
      assignNote: "Note for the assignee (optional)",
      assign: "Assign",
      reassign: "Hand over",
      assigned: (who) => "Assigned to " + who + ".",
      codesHint: "Your role cannot read the organisation yet; suggestions come from the items you can see. You may type a code such as ward-an-lac.",
      officialsHint: "Suggestions come from the unit's items you can see; you may type an official's username.",
      unitRequired: "Please choose the responsible unit.",
      categoryRequired: "Please choose a category.",
      readOnlySupervisor: "Supervisors follow items; they do not answer or assign them.",
      readOnly: (who) => "This item is handled by " + who + "; you may only read it.",
      readOnlyDone: "This item is closed.",
      history: "History",
      ev_routed: "Received and assigned",
      ev_routed_triage: "Received, sent to the coordinators for triage",
      ev_assigned: "Assigned",
      ev_replied_public: "Answer to the citizen",
      ev_replied_note: "Internal note",
      ev_replied: "Reply",
      ev_resolved: "Closed",
      ev_rated: "Rated by the citizen",
      ev_unlinked: "Unlinked from the duplicate",
      ev_reopened: "Reopened: the citizen was not satisfied",
      by: "by",
      to: "to",
      actor_router: "the automatic router",
      actor_citizen: "the citizen",
      netError: "Cannot reach the server. Check the network and try again.",
      httpError: (s) => "The server answered " + s + ". Please try again.",
      navLabel: "Views",
      navInbox: "Feedback",
      navRoster: "Desk roster",
      rosterTitle: "Desk roster",
      rosterHelp: "Each working day one shift of officials takes the unit's new feedback, in turn from Shift 1 and round again; items that arrive after 17:00 or on a closed day go to the next working day's shift.",
      rosterUnit: "Unit",
      chooseUnit: "— choose a unit —",
      chooseUnitHint: "Choose a unit to see and edit its roster.",
      noSuchUnit: (u) => "There is no unit " + u + ".",
      rosterCurrent: "Current roster",
      rosterNone: "The unit has no roster: every official on duty takes new items every day.",
      rosterSince: "Starts on",
      rosterCount: (n) => plural(n, "shift", "shifts") + ", in rotation",
      rosterCaption: "Shifts in order; today's shift is marked.",
      colShift: "Shift",
      colOfficials: "Officials on the desk",
      shiftN: (n) => "Shift " + n,
      todayShift: "Today's shift",
      todayHelp: "Today's shift is the one taking new items now; after 17:00 and on closed days, it is the next working day's.",
      noDeskToday: "The roster is not in force yet today (it starts later).",
      editRoster: "Edit the roster",
      newRoster: "Set up a roster",
      rosterStart: "Start date (Shift 1 staffs the first working day from this date)",
      addShift: "Add a shift",
      removeShift: (n) => "Remove shift " + n,
      shiftRemoved: (n) => "Shift " + n + " removed.",
      notInUnit: "not in the unit",
      changeReason: "Reason for the change (optional)",
      saveRoster: "Save the roster",
      deleteRoster: "Remove the roster",
      deleteRosterConfirm: "Remove the unit's roster? Every official on duty will then take new items every day.",
      rosterSaved: "The roster was saved.",
      rosterDeleted: "The roster was removed.",
      startRequired: "Please choose the start date.",
      shiftEmpty: (n) => "Shift " + n + " needs at least one official.",
      noStaff: "The unit has no officials who take feedback.",
      staffTitle: "Officials and leave",
      leaveHelp: "On days of leave the system gives the official no new items, even if they are on the shift; what they hold stays with them.",
      onLeave: "On leave",
      onDesk: "On today's shift",
      offDuty: "Off duty",
      inactive: "Inactive",
      noLeave: "No leave.",
      leaveList: (who) => who + "'s leave",
      remove: "Remove",
      removeLeave: (who, when) => "Remove " + who + "'s leave " + when,
      addLeaveTitle: "Record leave",
      leaveWho: "Official",
      leaveFrom: "From",
      leaveTo: "Until (included)",
      leaveReason: "Reason (annual leave, mission, sick…; optional)",
      addLeave: "Record the leave",
      leaveSaved: (who) => "Leave recorded for " + who + ".",
      leaveRemoved: (who) => "Leave removed for " + who + ".",
      leaveWhoRequired: "Please choose the official.",
      leaveDatesRequired: "Please choose the first and the last day of leave.",
      leaveOrder: "The last day of leave cannot be before the first.",
    },
  };

  let lang = localStorage.getItem("pakn.lang") === "en" ? "en" : "vi";
  function t(key, ...args) {
    const s = STR[lang][key] ?? STR.vi[key] ?? key;
    return typeof s === "function" ? s(...args) : s;
  }

  // ------------------------------------------------------------- templating

  class Raw {
    constructor(s) { this.s = s; }
    toString() { return this.s; }
  }
  const ESC = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ESC[c]);
  function piece(v) {
    if (v instanceof Raw) return v.s;
    if (Array.isArray(v)) return v.map(piece).join("");
    if (v === null || v === undefined || v === false) return "";
    return esc(v);
  }
  // html`...${x}...` escapes every value unless it is itself html`` (Raw).
  function html(strings, ...vals) {
    let out = strings[0];
    for (let i = 0; i < vals.length; i++) out += piece(vals[i]) + strings[i + 1];
    return new Raw(out);
  }

  // safeURL returns an http(s) URL to use in href/src, or "". An upload of
  // PAKN itself (/files/…) named by an http PAKN_PUBLIC_URL other than this
  // page's origin is loaded from this origin, where the same server serves
  // it and the page's CSP allows it.
  function safeURL(u) {
    if (!u) return "";
    let url;
    try { url = new URL(String(u || ""), location.href); } catch (e) { return ""; }
    if (url.protocol !== "https:" && url.protocol !== "http:") return "";
    if (url.protocol === "http:" && url.origin !== location.origin && url.pathname.startsWith("/files/")) {
      return location.origin + url.pathname + url.search;
    }
    return url.href;
  }

  const $ = (s, root) => (root || document).querySelector(s);
  const $$ = (s, root) => Array.from((root || document).querySelectorAll(s));

  // ------------------------------------------------------------------ state

  const S = {
    token: sessionStorage.getItem("pakn.token"),
    me: null,
    scope: "",
    status: "open",
    search: "",
    tickets: [],
    loadedAt: null,
    open: null, // tracking code of the open ticket
    ticket: null,
    ticketJSON: "",
    org: null, // organisation, for supervisors
    known: { units: new Map(), categories: new Set(), wards: new Set(), officials: new Map() },
    drafts: {},
    busy: false,
    timer: null,
    inboxSeq: 0,
    view: "inbox", // or "roster"
    rv: { unit: "", draft: null, editOpen: false, leave: null, err: {} }, // the roster view
  };
  const LIMIT = 200;

  // -------------------------------------------------------------------- API

  class ApiError extends Error {
    constructor(status, e) {
      super(e.message || e.message_en || "error");
      this.status = status;
      this.vi = e.message || e.message_en || "";
      this.en = e.message_en || e.message || "";
      this.field = e.field || "";
    }
    text() { return lang === "en" ? this.en : this.vi; }
  }
  const localError = (key, ...a) => new ApiError(0, { message: STR.vi[key] instanceof Function ? STR.vi[key](...a) : STR.vi[key], message_en: STR.en[key] instanceof Function ? STR.en[key](...a) : STR.en[key] });

  async function api(method, path, body) {
    const headers = { Accept: "application/json" };
    if (S.token) headers.Authorization = "Bearer " + S.token;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let res;
    try {
      res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store", credentials: "omit" });
    } catch (e) {
      throw localError("netError");
    }
    const data = await res.json().catch(() => null);
    if (!res.ok) {
      const err = new ApiError(res.status, (data && data.error) || {
        message: STR.vi.httpError(res.status), message_en: STR.en.httpError(res.status),
      });
      if (res.status === 401 && path !== "/desk/v1/login") expire();
      throw err;
    }
    return data;
  }

  // showError puts an error's message (in the current language) into el;
  // it is shown again in the other language when the language changes.
  function showError(el, err) {
    if (!el) return;
    if (!err) { el.hidden = true; el.textContent = ""; el._err = null; return; }
    el._err = err instanceof ApiError ? err : new ApiError(0, { message: String(err.message || err) });
    el.textContent = el._err.text();
    el.hidden = false;
  }

  let toastTimer = null;
  function toast(msg) {
    const el = $("#toast");
    el.textContent = msg;
    el.hidden = false;
    $("#announce").textContent = msg;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { el.hidden = true; }, 5000);
  }

  // ------------------------------------------------------------------ names

  const roleName = (r) => (r ? t("role_" + r) : "");
  const statusName = (s) => t("st_" + s);
  const channelName = (c) => (c ? t("ch_" + c) : "");
  const localName = (o) => (o ? (lang === "en" && o.name_en) || o.name : "");

  function unitName(id, fallback) {
    const u = S.org && S.org.units.find((x) => x.id === id);
    return u ? localName(u) : fallback || id || "";
  }
  function categoryName(code) {
    const c = S.org && S.org.categories.find((x) => x.code === code);
    return c ? localName(c) : code || "";
  }
  function wardName(code) {
    const w = S.org && S.org.wards.find((x) => x.code === code);
    return w ? w.name : code || "";
  }
  function neighbourhoodName(ward, code) {
    const w = S.org && S.org.wards.find((x) => x.code === ward);
    const n = w && (w.neighbourhoods || []).find((x) => x.code === code);
    return n ? n.name : code || "";
  }
  function officialName(username) {
    if (!username) return "";
    if (username === "router") return t("actor_router");
    if (username === "citizen") return t("actor_citizen");
    const o = S.known.officials.get(username);
    return o && o.name ? o.name + " (" + username + ")" : username;
  }

  // learn collects units, categories, wards and officials seen in tickets:
  // suggestions for the assign form when the organisation is not readable.
  function learn(tk) {
    if (tk.unit && tk.unit.id) S.known.units.set(tk.unit.id, tk.unit.name || tk.unit.id);
    if (tk.category) S.known.categories.add(tk.category);
    if (tk.ward) S.known.wards.add(tk.ward);
    if (tk.assignee && tk.assignee.username) {
      S.known.officials.set(tk.assignee.username, { name: tk.assignee.name, unit: tk.unit && tk.unit.id });
    }
    for (const r of tk.replies || []) {
      if (r.author && r.author.username && !S.known.officials.has(r.author.username)) {
        S.known.officials.set(r.author.username, { name: r.author.name, unit: "" });
      }
    }
  }

  // ------------------------------------------------------------------ times

  const TZ = "Asia/Ho_Chi_Minh";
  function fmtDT(iso) {
    if (!iso) return "";
    const d = new Date(iso);
    if (isNaN(d)) return "";
    return new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "vi-VN", {
      timeZone: TZ, hour: "2-digit", minute: "2-digit", day: "2-digit", month: "2-digit", year: "numeric",
    }).format(d);
  }
  function fmtTime(d) {
    return new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "vi-VN", { timeZone: TZ, hour: "2-digit", minute: "2-digit", second: "2-digit" }).format(d);
  }
  // span says a duration the way people say it: 40 phút, 5 giờ, 1 ngày 6 giờ, 4 ngày.
  function span(ms) {
    const min = Math.max(1, Math.floor(ms / 60000));
    if (min < 60) return t("minutes", min);
    const h = Math.floor(min / 60);
    if (h < 24) return t("hours", h);
    const d = Math.floor(h / 24);
    if (d < 3 && h % 24) return t("days", d) + t("and") + t("hours", h % 24);
    return t("days", d);
  }
  const isOpen = (tk) => tk.status === "assigned" || tk.status === "triage" || tk.status === "linked";
  function isOverdue(tk) {
    return isOpen(tk) && (tk.overdue || (tk.deadline && Date.now() > Date.parse(tk.deadline)));
  }
  // timeLeft: {text, cls} for a ticket's deadline now.
  function timeLeft(tk) {
    if (tk.status === "answered") return { text: t("doneAnswered"), cls: "done" };
    if (tk.status === "resolved") return { text: t("doneResolved"), cls: "done" };
    const dl = Date.parse(tk.deadline);
    if (isNaN(dl)) return { text: t("none"), cls: "" };
    const ms = dl - Date.now();
    if (isOverdue(tk)) return { text: t("late", span(Math.max(-ms, 60000))), cls: "late" };
    return { text: t("left", span(ms)), cls: ms < 24 * 3600e3 ? "soon" : "" };
  }

  // ------------------------------------------------------------ permissions
  // These mirror the desk API's rules (feedback.Official.CanReply and the
  // assign handler); the API still decides, and says why when it refuses.

  function canReply(tk) {
    const me = S.me;
    if (!me || tk.status === "resolved") return false;
    if (!tk.unit || tk.unit.id !== me.unit_id) return me.role === "coordinator" && tk.status === "triage";
    return me.role === "head" || (tk.assignee && tk.assignee.username === me.username) || me.role === "coordinator";
  }
  const canResolve = (tk) => canReply(tk) && tk.status === "answered";
  function assignMode(tk) {
    const me = S.me;
    if (!me || !isOpen(tk) || tk.status === "linked") return "";
    if (me.role === "coordinator") return "coordinator";
    if (me.role === "head" && tk.unit && tk.unit.id === me.unit_id) return "head";
    return "";
  }

  function canUnlink(tk) {
    const me = S.me;
    return !!me && tk.status === "linked" &&
      (me.role === "supervisor" || me.role === "coordinator" || (me.role === "head" && tk.unit && tk.unit.id === me.unit_id));
  }

  function scopesFor(role) {
    if (role === "supervisor" || role === "coordinator") return ["all", "unit", "mine"];
    if (role === "head") return ["unit", "mine"];
    return ["mine", "unit"];
  }

  // --------------------------------------------------------------- static UI

  function applyStatic() {
    document.documentElement.lang = lang;
    document.title = "PAKN — " + t("appTitle");
    for (const el of $$("[data-i18n]")) el.textContent = t(el.dataset.i18n);
    for (const el of $$("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
    for (const el of $$("[data-i18n-aria]")) el.setAttribute("aria-label", t(el.dataset.i18nAria));
    const lb = $("#lang");
    lb.textContent = t("langToggle");
    lb.lang = lang === "en" ? "vi" : "en";
    for (const el of $$("[role=alert]")) if (el._err) el.textContent = el._err.text();
  }

  function renderWho() {
    const who = $("#who");
    if (!S.me) { who.hidden = true; who.textContent = ""; return; }
    const unit = S.me.unit_id ? unitName(S.me.unit_id, S.known.units.get(S.me.unit_id)) : "";
    who.innerHTML = html`<span class="who-name">${S.me.name}</span><span class="who-role">${roleName(S.me.role)}${unit ? " · " + unit : ""}</span>`.s;
    who.hidden = false;
  }

  function renderScopes() {
    const list = scopesFor(S.me.role);
    $("#scopes").innerHTML = list.map((s) => html`<label class="seg"><input type="radio" name="scope" value="${s}" ${S.scope === s ? new Raw("checked") : ""}><span>${t("scope_" + s)}</span></label>`.s).join("");
  }

  // ------------------------------------------------------------------ inbox

  function visibleTickets() {
    const q = S.search.trim().toLowerCase();
    let list = S.tickets;
    if (q) {
      const nq = fold(q);
      list = list.filter((x) => fold([x.tracking_code, x.title, x.excerpt, x.ward, wardName(x.ward), x.category, categoryName(x.category),
        x.unit && x.unit.name, x.assignee && x.assignee.name].join(" ").toLowerCase()).includes(nq));
    }
    return list;
  }
  // codeIn returns the tracking code a search names (7K3M9QXT, 7k3m-9qxt), or "".
  function codeIn(q) {
    const m = /^\s*([0-9A-Za-z]{4})[\s-]?([0-9A-Za-z]{4})\s*$/.exec(q || "");
    return m ? (m[1] + "-" + m[2]).toUpperCase() : "";
  }
  // fold drops Vietnamese diacritics, so "o ga" finds "ổ gà".
  const fold = (s) => String(s).normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D");

  // What each choice of the status filter asks the API for: without a
  // status it lists the open work (assigned, triage, linked).
  const FILTERS = {
    open: [""], active: ["", "answered"], triage: ["triage"], assigned: ["assigned"], linked: ["linked"],
    answered: ["answered"], resolved: ["resolved"],
  };

  async function loadInbox() {
    const seq = ++S.inboxSeq;
    try {
      const lists = await Promise.all((FILTERS[S.status] || [""]).map((st) => {
        const q = new URLSearchParams({ scope: S.scope, limit: String(LIMIT) });
        if (st) q.set("status", st);
        return api("GET", "/desk/v1/tickets?" + q);
      }));
      if (seq !== S.inboxSeq) return; // a newer request is on its way
      const before = S.listKey === S.scope + "|" + S.status ? new Set(S.tickets.map((x) => x.tracking_code)) : null;
      S.listKey = S.scope + "|" + S.status;
      S.tickets = [].concat(...lists.map((d) => d.tickets || []));
      // Say so when items arrive while the official works on something else.
      const fresh = before ? S.tickets.filter((x) => !before.has(x.tracking_code)).length : 0;
      if (fresh && S.loadedAt) toast(t("newItems", fresh));
      S.truncated = lists.some((d) => (d.tickets || []).length >= LIMIT);
      if (lists.length > 1) {
        S.tickets.sort((a, b) => Date.parse(a.deadline) - Date.parse(b.deadline) || (a.tracking_code < b.tracking_code ? -1 : 1));
      }
      S.tickets.forEach(learn);
      S.loadedAt = new Date();
      showError($("#inbox-error"), null);
    } catch (err) {
      if (seq !== S.inboxSeq) return;
      if (err.status === 401) return;
      showError($("#inbox-error"), err);
    }
    renderInbox();
  }

  function renderInbox() {
    const body = $("#inbox-rows");
    const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest("tr[data-code]");
    const focusCode = focused && body.contains(focused) ? focused.dataset.code : null;
    const list = visibleTickets();
    const over = list.filter(isOverdue).length;
    const triage = list.filter((x) => x.status === "triage").length;
    $("#inbox-summary").textContent = t("summary", list.length, over, triage) + (S.truncated ? t("limited", LIMIT) : "");
    $("#inbox-updated").textContent = S.loadedAt ? t("updatedAt", fmtTime(S.loadedAt)) : "";
    document.title = (over ? t("titleOverdue", over) : "") + "PAKN — " + t("appTitle");
    const hint = $("#inbox-hint");
    hint.textContent = S.status === "resolved" ? t("resolvedHint") : "";
    hint.hidden = S.status !== "resolved";
    // A code typed in Search opens that item even when it is not listed
    // (answered elsewhere, archived, another scope): citizens quote it.
    const code = codeIn(S.search);
    const offer = code && !list.some((x) => x.tracking_code === code)
      ? html`<tr class="empty"><td colspan="4"><a class="btn" href="#/t/${code}">${t("openCode", code)}</a></td></tr>`.s : "";
    if (!list.length) {
      body.innerHTML = offer || html`<tr class="empty"><td colspan="4">${S.search ? t("emptySearch") : t("empty")}</td></tr>`.s;
      return;
    }
    body.innerHTML = list.map(rowHTML).join("") + offer;
    if (focusCode) {
      const link = $(`tr[data-code="${CSS.escape(focusCode)}"] a`, body);
      if (link) link.focus();
    }
  }

  function rowHTML(tk) {
    const left = timeLeft(tk);
    const over = isOverdue(tk);
    const cls = ["row", over ? "is-overdue" : "", tk.status === "triage" ? "is-triage" : "", tk.status === "linked" ? "is-linked" : "", isOpen(tk) ? "" : "is-done",
      S.open === tk.tracking_code ? "is-current" : ""].join(" ");
    const meta = [tk.linked_to ? t("linkedTo", tk.linked_to) : "", tk.ward ? wardName(tk.ward) : "", tk.category ? categoryName(tk.category) : "", channelName(tk.channel),
      t("received") + " " + fmtDT(tk.received_at)].filter(Boolean).join(" · ");
    return html`<tr data-code="${tk.tracking_code}" class="${cls}">
  <td class="c-deadline" data-label="${t("colDeadline")}">
    ${over ? html`<span class="flag flag-late">${t("overdue")}</span>` : ""}
    <span class="left ${left.cls}">${left.text}</span>
    <span class="when">${fmtDT(tk.deadline)}</span>
  </td>
  <td class="c-item" data-label="${t("colItem")}">
    <a class="row-link" href="#/t/${encodeURIComponent(tk.tracking_code)}"${S.open === tk.tracking_code ? new Raw(' aria-current="true"') : ""}>
      <span class="code">${tk.tracking_code}</span>
      <span class="title">${tk.title || tk.excerpt}</span>
    </a>
    ${tk.title ? html`<span class="excerpt">${tk.excerpt}</span>` : ""}
    <span class="meta">${meta}</span>
  </td>
  <td class="c-status" data-label="${t("colStatus")}"><span class="badge st-${tk.status}">${statusName(tk.status)}</span></td>
  <td class="c-owner" data-label="${t("colOwner")}">
    <span class="unit">${tk.unit && tk.unit.id ? unitName(tk.unit.id, tk.unit.name) : t("noUnit")}</span>
    <span class="person${tk.assignee && tk.assignee.name ? "" : " muted"}">${(tk.assignee && tk.assignee.name) || t("unassigned")}</span>
  </td>
</tr>`.s;
  }

  // ----------------------------------------------------------------- ticket

  async function openTicket(code, opts) {
    opts = opts || {};
    const first = S.open !== code;
    S.open = code;
    $("#work").classList.add("has-ticket");
    const pane = $("#ticket");
    pane.hidden = false;
    if (first) {
      S.ticket = null;
      S.ticketJSON = "";
      pane.innerHTML = html`<p class="loading">${t("loading")}</p>`.s;
      markCurrentRow();
    }
    try {
      const tk = await api("GET", "/desk/v1/tickets/" + encodeURIComponent(code));
      if (S.open !== code) return;
      if (tk.tracking_code && tk.tracking_code !== code) {
        // The API forgives look-alikes in a code; show the real one.
        code = S.open = tk.tracking_code;
        history.replaceState(null, "", "#/t/" + encodeURIComponent(code));
        markCurrentRow();
      }
      const json = JSON.stringify(tk);
      if (json !== S.ticketJSON) {
        S.ticket = tk;
        S.ticketJSON = json;
        learn(tk);
        renderTicket();
      } else {
        updateTicketClock();
      }
      if (first && !opts.quiet) {
        const h = $("#ticket-title");
        if (h) h.focus();
      }
    } catch (err) {
      if (S.open !== code || err.status === 401) return;
      if (first || !S.ticket) {
        pane.innerHTML = html`<div class="ticket-bar"><button type="button" class="btn back" data-act="close">← ${t("back")}</button></div>
          <p id="ticket-error" class="alert alert-error" role="alert"></p>`.s;
        showError($("#ticket-error"), err);
      }
    }
  }

  function closeTicket() {
    const code = S.open;
    S.open = null;
    S.ticket = null;
    S.ticketJSON = "";
    $("#ticket").hidden = true;
    $("#ticket").innerHTML = "";
    $("#work").classList.remove("has-ticket");
    markCurrentRow();
    const link = code && $(`#inbox-rows tr[data-code="${CSS.escape(code)}"] a`);
    if (link) link.focus();
  }

  function markCurrentRow() {
    for (const tr of $$("#inbox-rows tr[data-code]")) {
      const cur = tr.dataset.code === S.open;
      tr.classList.toggle("is-current", cur);
      const a = $("a", tr);
      if (cur) a.setAttribute("aria-current", "true"); else a.removeAttribute("aria-current");
    }
  }

  function updateTicketClock() {
    const el = $("#ticket-left");
    if (el && S.ticket) {
      const left = timeLeft(S.ticket);
      el.textContent = left.text;
      el.className = "left " + left.cls;
    }
  }

  // Drafts keep what an official typed while the ticket re-renders (every
  // 30 s, after an action, on a language switch).
  function saveDraft(el) {
    if (!S.open || !el.dataset.draft) return;
    const d = (S.drafts[S.open] = S.drafts[S.open] || {});
    if (el.type === "checkbox") d[el.dataset.draft] = el.checked;
    else if (el.type === "radio") { if (el.checked) d[el.dataset.draft] = el.value; }
    else d[el.dataset.draft] = el.value;
  }
  function restoreDrafts(pane) {
    const d = S.drafts[S.open];
    if (!d) return;
    for (const el of $$("[data-draft]", pane)) {
      const v = d[el.dataset.draft];
      if (v === undefined) continue;
      if (el.type === "checkbox") el.checked = !!v;
      else if (el.type === "radio") el.checked = el.value === v;
      else el.value = v;
    }
    const box = $("#assign-box", pane);
    if (box && d.assignOpen !== undefined) box.open = d.assignOpen;
  }

  function renderTicket() {
    const pane = $("#ticket");
    const tk = S.ticket;
    if (!tk) return;
    const active = document.activeElement;
    const keepId = active && pane.contains(active) && active.id ? active.id : "";
    const sel = keepId && typeof active.selectionStart === "number" ? [active.selectionStart, active.selectionEnd] : null;
    const scroll = pane.scrollTop;
    pane.innerHTML = ticketHTML(tk).s;
    restoreDrafts(pane);
    syncReplyKind();
    syncCount();
    syncAssignOfficials();
    pane.scrollTop = scroll;
    if (keepId) {
      const el = document.getElementById(keepId);
      if (el) {
        el.focus();
        if (sel && typeof el.setSelectionRange === "function") { try { el.setSelectionRange(sel[0], sel[1]); } catch (e) { /* not a text field */ } }
      }
    }
  }

  function ticketHTML(tk) {
    const left = timeLeft(tk);
    const over = isOverdue(tk);
    return html`
<div class="ticket-bar">
  <button type="button" class="btn back" data-act="close">← <span class="back-text">${t("back")}</span><span class="close-text">${t("close")}</span></button>
</div>
<header class="ticket-head${over ? " is-overdue" : ""}${tk.status === "triage" ? " is-triage" : ""}">
  <h2 id="ticket-title" tabindex="-1"><span class="sr-only">${t("ticketOf", "")}</span><span class="code">${tk.tracking_code}</span></h2>
  <p class="badges">
    <span class="badge st-${tk.status}">${statusName(tk.status)}</span>
    ${over ? html`<span class="flag flag-late">${t("overdue")}</span>` : ""}
  </p>
  <p class="deadline-line">
    <span>${t("deadline")}: <strong>${fmtDT(tk.deadline) || t("none")}</strong></span>
    <span id="ticket-left" class="left ${left.cls}">${left.text}</span>
  </p>
</header>
${tk.status === "triage" && tk.triage_reason ? html`<div class="callout callout-triage"><h3>${t("triageReason")}</h3><p class="pre">${tk.triage_reason}</p></div>` : ""}
${tk.linked_to ? html`<div class="callout callout-linked"><h3>${t("linkedTitle")}</h3><p>${t("linkedHelp")}</p>
  <p><a class="btn" href="#/t/${encodeURIComponent(tk.linked_to)}">${t("openLinked", tk.linked_to)}</a></p></div>` : ""}
<section class="block" aria-labelledby="content-h">
  <h3 id="content-h" class="block-title">${t("content")}</h3>
  ${tk.title ? html`<p class="ticket-title">${tk.title}</p>` : ""}
  <p class="content pre">${tk.content}</p>
</section>
${mediaHTML(tk)}
${ratingHTML(tk)}
<section class="block" aria-labelledby="facts-h">
  <h3 id="facts-h" class="block-title">${t("facts")}</h3>
  <dl class="facts">
    ${fact(t("address"), tk.address)}
    ${fact(t("ward"), tk.ward ? wardName(tk.ward) : "")}
    ${fact(t("neighbourhood"), tk.neighbourhood ? neighbourhoodName(tk.ward, tk.neighbourhood) : "")}
    ${tk.location ? fact(t("location"), html`${Number(tk.location.lat).toFixed(5)}, ${Number(tk.location.lng).toFixed(5)} · <a href="https://www.openstreetmap.org/?mlat=${Number(tk.location.lat)}&amp;mlon=${Number(tk.location.lng)}#map=18/${Number(tk.location.lat)}/${Number(tk.location.lng)}" target="_blank" rel="noopener noreferrer">${t("onMap")}</a>`) : ""}
    ${fact(t("channel"), channelName(tk.channel))}
    ${fact(t("category"), tk.category ? categoryName(tk.category) : "")}
    ${fact(t("received"), fmtDT(tk.received_at))}
    ${tk.answered_at ? fact(t("answeredAt"), fmtDT(tk.answered_at)) : ""}
    ${fact(t("unit"), tk.unit && tk.unit.id ? unitName(tk.unit.id, tk.unit.name) : t("noUnit"))}
    ${fact(t("assignee"), (tk.assignee && tk.assignee.name) || t("unassigned"))}
  </dl>
</section>
${citizenHTML(tk)}
<section class="block" aria-labelledby="conv-h">
  <h3 id="conv-h" class="block-title">${t("conversation")}</h3>
  ${tk.replies.length ? html`<ol class="replies">${tk.replies.map(replyHTML)}</ol>` : html`<p class="muted">${t("noReplies")}</p>`}
</section>
${actionsHTML(tk)}
<section class="block" aria-labelledby="hist-h">
  <h3 id="hist-h" class="block-title">${t("history")}</h3>
  <ol class="timeline">${tk.history.map((e) => eventHTML(e, tk))}</ol>
</section>`;
  }

  function fact(label, value) {
    const empty = value === "" || value === null || value === undefined;
    return html`<div class="fact"><dt>${label}</dt><dd${empty ? new Raw(' class="muted"') : ""}>${empty ? t("none") : value}</dd></div>`;
  }

  function citizenHTML(tk) {
    const c = tk.citizen || {};
    if (c.anonymous || !(c.name || c.phone || c.email || c.id)) {
      return html`<section class="block" aria-labelledby="cit-h"><h3 id="cit-h" class="block-title">${t("citizen")}</h3>
        <p><span class="badge badge-anon">${t("anonymous")}</span> <span class="muted">${t("anonymousHelp")}</span></p></section>`;
    }
    const tel = c.phone ? String(c.phone).replace(/[^+0-9]/g, "") : "";
    const mail = c.email && /^[^\s@<>"]+@[^\s@<>"]+$/.test(c.email) ? c.email : "";
    return html`<section class="block" aria-labelledby="cit-h"><h3 id="cit-h" class="block-title">${t("citizen")}</h3>
      <dl class="facts">
        ${fact(t("name"), c.name)}
        ${c.phone ? fact(t("phone"), tel ? html`<a href="tel:${tel}">${c.phone}</a>` : c.phone) : ""}
        ${c.email ? fact(t("email"), mail ? html`<a href="mailto:${mail}">${c.email}</a>` : c.email) : ""}
        ${c.id ? fact(t("citizenId"), c.id) : ""}
      </dl></section>`;
  }

  function mediaHTML(tk) {
    const atts = tk.attachments || [];
    const rec = safeURL(tk.recording_url);
    if (!atts.length && !rec) return "";
    let n = 0;
    const items = atts.map((a) => {
      const u = safeURL(a.url);
      const label = a.name || (a.url ? String(a.url).split("/").pop() : "");
      if (!u) return html`<li class="file">${label}</li>`;
      const isImage = /^image\//.test(a.content_type || "") || (!a.content_type && /\.(jpe?g|png|gif|webp|heic)$/i.test(label));
      if (isImage) {
        n++;
        return html`<li class="thumb"><a href="${u}" target="_blank" rel="noopener noreferrer" title="${t("openFull", n)}">
          <img src="${u}" alt="${label || t("openFull", n)}" loading="lazy" referrerpolicy="no-referrer"><span class="thumb-name">${label}</span></a></li>`;
      }
      return html`<li class="file"><a href="${u}" target="_blank" rel="noopener noreferrer">${label || u}</a></li>`;
    });
    return html`<section class="block" aria-labelledby="media-h">
      <h3 id="media-h" class="block-title">${atts.length ? t("attachments") : t("recording")}</h3>
      ${atts.length ? html`<ul class="attachments">${items}</ul>` : ""}
      ${rec ? html`<div class="recording">${atts.length ? html`<p class="sub-title">${t("recording")}</p>` : ""}
        <audio controls preload="none" src="${rec}"></audio>
        <p class="small"><a href="${rec}" target="_blank" rel="noopener noreferrer">${t("recordingLink")}</a></p></div>` : ""}
    </section>`;
  }

  // The rating is shown from the ticket when the API gives it, otherwise
  // from the history's "rated" event (whose note is "4/5").
  function ratingHTML(tk) {
    let score = 0;
    let comment = "";
    let at = "";
    if (tk.rating && tk.rating.score) {
      score = Number(tk.rating.score);
      comment = tk.rating.comment || "";
      at = tk.rating.at || "";
    } else {
      const ev = (tk.history || []).filter((e) => e.type === "rated").pop();
      const m = ev && /^(\d)\s*\/\s*5/.exec(ev.note || "");
      if (m) { score = Number(m[1]); at = ev.at; }
    }
    if (!(score >= 1 && score <= 5)) return "";
    const stars = "★★★★★".slice(0, score) + "☆☆☆☆☆".slice(0, 5 - score);
    return html`<section class="block rating" aria-labelledby="rate-h">
      <h3 id="rate-h" class="block-title">${t("rating")}</h3>
      <p><span class="stars score-${score}" aria-hidden="true">${stars}</span> <strong>${t("ratingOf", score)}</strong>${at ? html` <span class="muted small">· ${fmtDT(at)}</span>` : ""}</p>
      ${comment ? html`<p class="pre">${comment}</p>` : ""}
    </section>`;
  }

  function replyHTML(r) {
    return html`<li class="reply ${r.public ? "reply-public" : "reply-note"}">
      <p class="reply-head"><span class="badge ${r.public ? "badge-public" : "badge-note"}">${r.public ? t("publicBadge") : t("noteBadge")}</span>
        <span class="reply-author">${(r.author && r.author.name) || (r.author && r.author.username)}</span>
        <time class="muted small" datetime="${r.at}">${fmtDT(r.at)}</time></p>
      <p class="pre">${r.body}</p>
    </li>`;
  }

  function eventHTML(e, tk) {
    let label = t("ev_" + e.type);
    if (e.type === "routed" && e.status === "triage") label = t("ev_routed_triage");
    if (e.type === "replied") {
      const r = (tk.replies || []).find((x) => x.at === e.at && x.author && x.author.username === e.actor);
      if (r) label = r.public ? t("ev_replied_public") : t("ev_replied_note");
    }
    if (!STR.vi["ev_" + e.type]) label = e.type;
    return html`<li class="ev ev-${e.type}">
      <time datetime="${e.at}">${fmtDT(e.at)}</time>
      <p><strong>${label}</strong> ${t("by")} ${officialName(e.actor)}${e.assignee && (e.type === "routed" || e.type === "assigned") ? html` · ${t("to")} ${officialName(e.assignee)}` : ""}
        <span class="badge badge-small st-${e.status}">${statusName(e.status)}</span></p>
      ${e.note ? html`<p class="pre note">${e.note}</p>` : ""}
    </li>`;
  }

  function actionsHTML(tk) {
    const parts = [];
    const mode = assignMode(tk);
    // A triage item is settled first; an answered one is closed next.
    const settleFirst = mode === "coordinator" && tk.status === "triage";
    if (settleFirst) parts.push(assignFormHTML(tk, mode));
    if (canReply(tk)) {
      if (canResolve(tk)) parts.push(resolveFormHTML());
      parts.push(replyFormHTML(tk));
      if (tk.status === "assigned") parts.push(html`<p class="hint">${t("resolveNeedsAnswer")}</p>`);
      if (tk.status === "linked") parts.push(html`<p class="hint">${t("linkedNoPublic")}</p>`);
    }
    if (mode && !settleFirst) parts.push(assignFormHTML(tk, mode));
    if (canUnlink(tk)) parts.push(unlinkFormHTML());
    if (!parts.length) {
      let why = t("readOnly", (tk.assignee && tk.assignee.name) || t("unassigned"));
      if (tk.status === "resolved") why = t("readOnlyDone");
      else if (S.me && S.me.role === "supervisor") why = t("readOnlySupervisor");
      return html`<p class="hint">${why}</p>`;
    }
    return html`<div class="actions">${parts}</div>`;
  }

  function replyFormHTML(tk) {
    const linked = tk.status === "linked";
    return html`<form id="reply-form" class="action action-reply${linked ? " is-note" : ""}" novalidate>
  <h3 class="block-title">${t("replyTitle")}</h3>
  <fieldset class="kinds">
    <legend class="sr-only">${t("replyTitle")}</legend>
    <label class="kind kind-public"><input type="radio" name="kind" value="public" id="kind-public" data-draft="kind"${linked ? new Raw(" disabled") : new Raw(" checked")}>
      <span><strong>${t("kindPublic")}</strong><small>${t("kindPublicHelp", channelName(tk.channel))}</small></span></label>
    <label class="kind kind-note"><input type="radio" name="kind" value="note" id="kind-note" data-draft="kind"${linked ? new Raw(" checked") : ""}>
      <span><strong>${t("kindNote")}</strong><small>${t("kindNoteHelp")}</small></span></label>
  </fieldset>
  <label for="reply-body">${t("body")}</label>
  <textarea id="reply-body" rows="6" maxlength="5000" data-draft="body" aria-describedby="reply-count"></textarea>
  <p id="reply-count" class="small muted">${t("count", 0)}</p>
  <p id="reply-error" class="alert alert-error" role="alert" hidden></p>
  <button id="reply-submit" type="submit" class="btn btn-primary">${linked ? t("sendNote") : t("sendPublic")}</button>
</form>`;
  }

  function unlinkFormHTML() {
    return html`<form id="unlink-form" class="action action-assign" novalidate>
  <h3 class="block-title">${t("unlinkTitle")}</h3>
  <p class="small">${t("unlinkHelp")}</p>
  <p id="unlink-error" class="alert alert-error" role="alert" hidden></p>
  <button id="unlink-submit" type="submit" class="btn">${t("unlink")}</button>
</form>`;
  }

  function resolveFormHTML() {
    return html`<form id="resolve-form" class="action action-resolve" novalidate>
  <h3 class="block-title">${t("resolveTitle")}</h3>
  <p class="small">${t("resolveHelp")}</p>
  <label for="resolve-note">${t("resolveNote")}</label>
  <input id="resolve-note" maxlength="5000" data-draft="resolveNote" autocomplete="off">
  <p id="resolve-error" class="alert alert-error" role="alert" hidden></p>
  <button id="resolve-submit" type="submit" class="btn btn-success">${t("resolve")}</button>
</form>`;
  }

  function options(list, selected, first) {
    return html`${first ? html`<option value="">${first}</option>` : ""}${list.map(([v, label]) =>
      html`<option value="${v}"${v === selected ? new Raw(" selected") : ""}>${label}</option>`)}`;
  }

  // assignFormHTML: a coordinator picks unit, category, ward (and maybe an
  // official); a head picks an official of the unit. Lists come from the
  // organisation when it is readable (supervisors), otherwise from what the
  // console has seen, as suggestions for typed codes.
  function assignFormHTML(tk, mode) {
    const triage = tk.status === "triage";
    const org = S.org;
    const title = mode === "head" ? t("reassignTitle") : triage ? t("assignTitleTriage") : t("assignTitle");
    let fields = "";
    if (mode === "coordinator") {
      const curUnit = triage ? "" : tk.unit && tk.unit.id;
      if (org) {
        const units = org.units.map((u) => [u.id, localName(u)]);
        const cats = org.categories.map((c) => [c.code, localName(c) + " · " + c.deadline_days + (lang === "en" ? " working days" : " ngày làm việc")]);
        const wards = org.wards.map((w) => [w.code, w.name]);
        fields = html`
  <div class="field"><label for="assign-unit">${t("assignUnit")}</label>
    <select id="assign-unit" data-draft="unit" required>${options(units, curUnit, t("choose"))}</select></div>
  <div class="field"><label for="assign-category">${t("assignCategory")}</label>
    <select id="assign-category" data-draft="category">${options(cats, tk.category || "", t("choose"))}</select></div>
  <div class="field"><label for="assign-ward">${t("assignWard")}</label>
    <select id="assign-ward" data-draft="ward">${options(wards, tk.ward || "", t("keep"))}</select></div>`;
      } else {
        const units = Array.from(S.known.units).map(([id, name]) => html`<option value="${id}">${name}</option>`);
        const cats = Array.from(S.known.categories).map((c) => html`<option value="${c}"></option>`);
        const wards = Array.from(S.known.wards).map((w) => html`<option value="${w}"></option>`);
        fields = html`
  <p class="hint small">${t("codesHint")}</p>
  <div class="field"><label for="assign-unit">${t("assignUnit")}</label>
    <input id="assign-unit" list="dl-units" data-draft="unit" value="${curUnit || ""}" autocomplete="off" spellcheck="false" required></div>
  <datalist id="dl-units">${units}</datalist>
  <div class="field"><label for="assign-category">${t("assignCategory")}</label>
    <input id="assign-category" list="dl-cats" data-draft="category" value="${tk.category || ""}" autocomplete="off" spellcheck="false"></div>
  <datalist id="dl-cats">${cats}</datalist>
  <div class="field"><label for="assign-ward">${t("assignWard")}</label>
    <input id="assign-ward" list="dl-wards" data-draft="ward" value="${tk.ward || ""}" autocomplete="off" spellcheck="false"></div>
  <datalist id="dl-wards">${wards}</datalist>`;
      }
    }
    const official = org
      ? html`<select id="assign-official" data-draft="assignee" aria-describedby="assign-official-help"></select>`
      : html`<input id="assign-official" list="dl-officials" data-draft="assignee" autocomplete="off" spellcheck="false" aria-describedby="assign-official-help"><datalist id="dl-officials"></datalist>`;
    return html`<details id="assign-box" class="action action-assign"${triage && mode === "coordinator" ? new Raw(" open") : ""}>
  <summary>${title}</summary>
  <form id="assign-form" novalidate data-mode="${mode}">
    ${mode === "head" && !org ? html`<p class="hint small">${t("officialsHint")}</p>` : ""}
    ${fields}
    <div class="field"><label for="assign-official">${t("assignOfficial")}</label>
      ${official}
      <p id="assign-official-help" class="small muted">${t("assignOfficialHelp")}</p></div>
    <label class="check"><input type="checkbox" id="assign-multi" data-draft="multi"> <span>${t("multi")}</span></label>
    <label for="assign-note">${t("assignNote")}</label>
    <textarea id="assign-note" rows="2" maxlength="5000" data-draft="note"></textarea>
    <p id="assign-error" class="alert alert-error" role="alert" hidden></p>
    <button id="assign-submit" type="submit" class="btn btn-primary">${mode === "head" ? t("reassign") : t("assign")}</button>
  </form>
</details>`;
  }

  // The officials offered follow the unit chosen (a head: their own unit).
  function syncAssignOfficials() {
    const el = $("#assign-official");
    if (!el || !S.ticket) return;
    const form = $("#assign-form");
    const unitEl = $("#assign-unit");
    const unit = form.dataset.mode === "head" ? S.me.unit_id : unitEl ? unitEl.value.trim() : "";
    let people = [];
    if (S.org) {
      // Today's shift of the unit's rotating desk first (on_desk, from the
      // server, which knows the roster and the calendar).
      const u = S.org.units.find((x) => x.id === unit);
      const desk = new Set((u && u.on_desk) || []);
      people = S.org.officials.filter((o) => o.active && o.unit_id === unit && (o.role === "official" || o.role === "head"))
        .sort((a, b) => (a.on_leave - b.on_leave) || (b.on_duty - a.on_duty) || (desk.has(b.username) - desk.has(a.username)) || a.open_count - b.open_count || a.name.localeCompare(b.name, "vi"))
        .map((o) => [o.username, o.name + (o.role === "head" ? " · " + roleName("head") : "") + (lang === "en" ? " · " + o.open_count + " open" : " · " + o.open_count + " việc") + (o.on_leave ? (lang === "en" ? " · on leave" : " · nghỉ phép") : o.on_duty ? (desk.has(o.username) ? (lang === "en" ? " · on today's shift" : " · ca trực hôm nay") : "") : lang === "en" ? " · off duty" : " · không trực")]);
    } else {
      for (const [u, o] of S.known.officials) if (!unit || o.unit === unit) people.push([u, o.name || u]);
      if (S.me && S.me.unit_id === unit && !people.some(([u]) => u === S.me.username)) people.push([S.me.username, S.me.name]);
      people.sort((a, b) => a[1].localeCompare(b[1], "vi"));
    }
    const draft = (S.drafts[S.open] || {}).assignee || "";
    if (el.tagName === "SELECT") {
      el.innerHTML = options(people, draft, t("auto")).s;
    } else {
      $("#dl-officials").innerHTML = people.map(([u, name]) => html`<option value="${u}">${name}</option>`.s).join("");
    }
  }

  function syncReplyKind() {
    const form = $("#reply-form");
    if (!form) return;
    const note = $("#kind-note").checked;
    form.classList.toggle("is-note", note);
    const btn = $("#reply-submit");
    if (!btn.disabled) btn.textContent = note ? t("sendNote") : t("sendPublic");
  }
  function syncCount() {
    const ta = $("#reply-body");
    if (ta) $("#reply-count").textContent = t("count", ta.value.length);
  }

  async function busy(btn, fn) {
    if (S.busy) return;
    S.busy = true;
    const label = btn.textContent;
    btn.disabled = true;
    btn.textContent = t("sending");
    try {
      await fn();
    } finally {
      S.busy = false;
      if (document.body.contains(btn)) { btn.disabled = false; btn.textContent = label; }
    }
  }

  // afterAction shows the ticket as the action left it, puts the focus on
  // its heading (the form that had it may be gone), and updates the list.
  async function afterAction(code) {
    await openTicket(code, { quiet: true });
    const h = $("#ticket-title");
    if (h && S.open === code) h.focus();
    loadInbox();
  }

  async function sendReply() {
    const code = S.open;
    const ta = $("#reply-body");
    const errEl = $("#reply-error");
    const publicReply = $("#kind-public").checked;
    if (!ta.value.trim()) {
      showError(errEl, localError("bodyRequired"));
      ta.focus();
      return;
    }
    showError(errEl, null);
    await busy($("#reply-submit"), async () => {
      try {
        await api("POST", "/desk/v1/tickets/" + encodeURIComponent(code) + "/replies", { body: ta.value, public: publicReply });
      } catch (err) {
        showError(errEl, err);
        if (err.field === "body") ta.focus();
        return;
      }
      delete S.drafts[code];
      toast(publicReply ? t("sentPublic") : t("sentNote"));
      S.busy = false;
      await afterAction(code);
    });
  }

  async function sendResolve() {
    const code = S.open;
    const errEl = $("#resolve-error");
    showError(errEl, null);
    const note = $("#resolve-note").value.trim();
    await busy($("#resolve-submit"), async () => {
      try {
        await api("POST", "/desk/v1/tickets/" + encodeURIComponent(code) + "/resolve", note ? { note } : {});
      } catch (err) {
        showError(errEl, err);
        return;
      }
      delete S.drafts[code];
      toast(t("resolved"));
      S.busy = false;
      await afterAction(code);
    });
  }

  async function sendUnlink() {
    const code = S.open;
    const errEl = $("#unlink-error");
    showError(errEl, null);
    await busy($("#unlink-submit"), async () => {
      try {
        await api("POST", "/desk/v1/tickets/" + encodeURIComponent(code) + "/unlink");
      } catch (err) {
        showError(errEl, err);
        return;
      }
      delete S.drafts[code];
      toast(t("unlinked"));
      S.busy = false;
      await afterAction(code);
    });
  }

  async function sendAssign() {
    const code = S.open;
    const form = $("#assign-form");
    const errEl = $("#assign-error");
    showError(errEl, null);
    const body = {};
    const val = (id) => { const el = document.getElementById(id); return el ? el.value.trim() : ""; };
    if (form.dataset.mode === "coordinator") {
      body.unit_id = val("assign-unit");
      if (!body.unit_id) { showError(errEl, localError("unitRequired")); $("#assign-unit").focus(); return; }
      const cat = val("assign-category");
      if (!cat && !S.ticket.category) { showError(errEl, localError("categoryRequired")); $("#assign-category").focus(); return; }
      if (cat) body.category = cat;
      const ward = val("assign-ward");
      if (ward) body.ward = ward;
    }
    const who = val("assign-official");
    if (who) body.assignee = who;
    if ($("#assign-multi").checked) body.multi_agency = true;
    const note = val("assign-note");
    if (note) body.note = note;
    await busy($("#assign-submit"), async () => {
      let tk;
      try {
        tk = await api("POST", "/desk/v1/tickets/" + encodeURIComponent(code) + "/assign", body);
      } catch (err) {
        showError(errEl, err);
        const f = { unit_id: "assign-unit", category: "assign-category", ward: "assign-ward", assignee: "assign-official" }[err.field];
        if (f && document.getElementById(f)) document.getElementById(f).focus();
        return;
      }
      delete S.drafts[code];
      toast(t("assigned", (tk.assignee && tk.assignee.name) || ""));
      S.busy = false;
      await afterAction(code);
    });
  }

  // ----------------------------------------------------------------- roster
  // The unit's rotating feedback desk (lịch trực) and its officials' leave,
  // for heads (their own unit), coordinators and supervisors (any unit).
  // It reads the organisation and writes through the admin API, which
  // checks the same rules and says why when it refuses.

  const canRunDesk = (me) => !!me && ((me.role === "head" && !!me.unit_id) || me.role === "coordinator" || me.role === "supervisor");

  // todayYMD is today's date in Hồ Chí Minh City, as YYYY-MM-DD.
  const todayYMD = () => new Intl.DateTimeFormat("en-CA", { timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  function fmtDay(ymd) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd || "");
    if (!m) return ymd || "";
    const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "vi-VN", { timeZone: "UTC", day: "2-digit", month: "2-digit", year: "numeric" }).format(d);
  }
  const dayRange = (l) => (l.from === l.to ? fmtDay(l.from) : fmtDay(l.from) + " – " + fmtDay(l.to));

  function rosterUnitOf(id) { return S.org && S.org.units.find((u) => u.id === id); }
  // unitStaff: who may be on the unit's desk (its officials and its head).
  function unitStaff(id) {
    if (!S.org) return [];
    return S.org.officials.filter((o) => o.unit_id === id && (o.role === "official" || o.role === "head"))
      .sort((a, b) => (a.role === "head") - (b.role === "head") || a.name.localeCompare(b.name, "vi"));
  }
  function staffName(username) {
    const o = S.org && S.org.officials.find((x) => x.username === username);
    return o ? o.name : username;
  }
  const sameSet = (a, b) => a.length === b.length && a.every((x) => b.includes(x));

  // The edits in progress survive a re-render (language, a refresh, a shift
  // added): captureRoster reads the form back into S.rv before each one.
  function captureRoster() {
    const form = $("#roster-form");
    const d = S.rv.draft;
    if (form && d && form.dataset.unit === d.unit) {
      d.start = $("#roster-start").value;
      d.reason = $("#roster-reason").value;
      d.shifts = d.shifts.map((old, i) => {
        const checked = $$(`input[data-shift="${i}"]`, form).filter((x) => x.checked).map((x) => x.value);
        return old.filter((u) => checked.includes(u)).concat(checked.filter((u) => !old.includes(u)));
      });
      const box = $("#roster-edit");
      if (box) S.rv.editOpen = box.open;
    }
    const lf = $("#leave-form");
    if (lf && lf.dataset.unit === S.rv.unit) {
      S.rv.leave = { who: $("#leave-who").value, from: $("#leave-from").value, to: $("#leave-to").value, reason: $("#leave-reason").value };
    }
  }
  function ensureDraft(unit) {
    if (S.rv.draft && S.rv.draft.unit === unit.id) return;
    const r = unit.roster;
    S.rv.draft = r
      ? { unit: unit.id, start: r.start, shifts: r.shifts.map((s) => s.slice()), reason: "" }
      : { unit: unit.id, start: todayYMD(), shifts: [[]], reason: "" };
    S.rv.editOpen = !r;
  }
  // setRvError shows an error next to a form and keeps it across re-renders.
  function setRvError(key, err) {
    S.rv.err[key] = err || null;
    showError($("#" + key + "-error"), err || null);
  }

  async function openRoster(unit) {
    const first = S.view !== "roster";
    S.view = "roster";
    $("#work").hidden = true;
    $("#roster-page").hidden = false;
    markNav();
    if (S.me.role === "head") unit = S.me.unit_id;
    if (unit !== undefined && unit !== S.rv.unit) {
      S.rv.unit = unit;
      S.rv.err = {};
      S.rv.leave = null;
    }
    renderRoster();
    if (first) $("#roster-title").focus();
    await refreshRoster();
  }

  async function refreshRoster() {
    try {
      await fetchOrg();
      showError($("#roster-load-error"), null);
    } catch (err) {
      if (err.status === 401) return;
      showError($("#roster-load-error"), err);
    }
    if (S.view === "roster") renderRoster();
  }

  function showWork() {
    if (S.view !== "roster") return false;
    S.view = "inbox";
    $("#roster-page").hidden = true;
    $("#work").hidden = false;
    markNav();
    return true;
  }

  function markNav() {
    const nav = $("#views");
    nav.hidden = !canRunDesk(S.me);
    for (const [id, view] of [["nav-inbox", "inbox"], ["nav-roster", "roster"]]) {
      const a = document.getElementById(id);
      if (S.view === view) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    }
  }

  function renderRoster() {
    const body = $("#roster-body");
    captureRoster();
    const active = document.activeElement;
    const keep = active && body.contains(active) ? keyOf(active) : "";
    // The unit to show: a head's own; the others choose.
    const field = $("#roster-unit-field");
    const choose = S.me.role !== "head";
    field.hidden = !choose;
    if (choose) {
      const sel = $("#roster-unit");
      const units = S.org ? S.org.units.map((u) => [u.id, localName(u)]) : S.rv.unit ? [[S.rv.unit, S.rv.unit]] : [];
      sel.innerHTML = options(units, S.rv.unit, t("chooseUnit")).s;
      sel.value = S.rv.unit;
    }
    if (!S.org) { body.innerHTML = html`<p class="loading muted">${t("loading")}</p>`.s; return; }
    if (!S.rv.unit) { body.innerHTML = html`<p class="hint">${t("chooseUnitHint")}</p>`.s; return; }
    const unit = rosterUnitOf(S.rv.unit);
    if (!unit) { body.innerHTML = html`<p class="hint">${t("noSuchUnit", S.rv.unit)}</p>`.s; return; }
    ensureDraft(unit);
    body.innerHTML = html`${rosterNowHTML(unit)}${rosterFormHTML(unit)}${staffHTML(unit)}`.s;
    for (const k of ["roster", "leave"]) showError($("#" + k + "-error"), S.rv.err[k] || null);
    if (keep) {
      const el = findKey(body, keep);
      if (el) el.focus();
    }
  }
  // keyOf/findKey name a control so that it keeps the focus across a re-render.
  function keyOf(el) {
    if (el.id) return "#" + el.id;
    if (el.dataset.act) return `[data-act="${el.dataset.act}"]` + (el.dataset.shift ? `[data-shift="${el.dataset.shift}"]` : "") +
      (el.dataset.username ? `[data-username="${CSS.escape(el.dataset.username)}"][data-index="${el.dataset.index}"]` : "");
    if (el.dataset.shift) return `input[data-shift="${el.dataset.shift}"][value="${CSS.escape(el.value)}"]`;
    return "";
  }
  function findKey(root, key) {
    try { return $(key, root); } catch (e) { return null; }
  }

  function rosterNowHTML(unit) {
    const r = unit.roster;
    const desk = unit.on_desk || [];
    let body;
    if (!r) {
      body = html`<p class="hint">${t("rosterNone")}</p>`;
    } else {
      const today = r.shifts.map((s) => desk.length > 0 && sameSet(s, desk));
      body = html`<p class="roster-meta">${t("rosterSince")} <strong>${fmtDay(r.start)}</strong> · ${t("rosterCount", r.shifts.length)}</p>
  <div class="table-wrap"><table id="roster-table" class="roster-table">
    <caption class="sr-only">${t("rosterCaption")}</caption>
    <thead><tr><th scope="col">${t("colShift")}</th><th scope="col">${t("colOfficials")}</th></tr></thead>
    <tbody id="roster-rows">${r.shifts.map((s, i) => html`<tr data-shift="${i}"${today[i] ? new Raw(' class="is-today" aria-current="date"') : ""}>
      <th scope="row"><span class="shift-name">${t("shiftN", i + 1)}</span>${today[i] ? html` <span class="badge badge-today">${t("todayShift")}</span>` : ""}</th>
      <td>${s.map((u, j) => html`${j ? ", " : ""}<span class="shift-person" data-username="${u}">${staffName(u)}</span>`)}</td>
    </tr>`)}</tbody>
  </table></div>
  <p class="small muted">${today.some(Boolean) ? t("todayHelp") : t("noDeskToday")}</p>`;
    }
    return html`<section class="block" aria-labelledby="roster-now-h">
  <h2 id="roster-now-h" class="block-title" tabindex="-1">${t("rosterCurrent")}</h2>
  ${body}
</section>`;
  }

  function rosterFormHTML(unit) {
    const d = S.rv.draft;
    const staff = unitStaff(unit.id);
    return html`<details id="roster-edit" class="action action-assign roster-edit"${S.rv.editOpen ? new Raw(" open") : ""}>
  <summary>${unit.roster ? t("editRoster") : t("newRoster")}</summary>
  <form id="roster-form" data-unit="${unit.id}" novalidate>
    <div class="field field-date"><label for="roster-start">${t("rosterStart")}</label>
      <input id="roster-start" type="date" value="${d.start}" required></div>
    ${staff.length ? "" : html`<p class="hint small">${t("noStaff")}</p>`}
    <div class="shifts">${d.shifts.map((s, i) => {
      // Names on the shift that are no longer the unit's stay visible, so that
      // saving does not drop them silently (the server says what is wrong).
      const people = staff.map((o) => [o.username, o.name, o.role === "head" ? roleName("head") : ""])
        .concat(s.filter((u) => !staff.some((o) => o.username === u)).map((u) => [u, staffName(u), t("notInUnit")]));
      return html`<fieldset class="shift" id="shift-${i}">
      <legend>${t("shiftN", i + 1)}</legend>
      <div class="shift-people">${people.map(([u, name, note]) => html`<label class="check"><input type="checkbox" data-shift="${i}" value="${u}"${s.includes(u) ? new Raw(" checked") : ""}>
        <span>${name} <span class="muted small">${u}${note ? " · " + note : ""}</span></span></label>`)}</div>
      ${d.shifts.length > 1 ? html`<button type="button" class="btn btn-small" data-act="remove-shift" data-shift="${i}">${t("removeShift", i + 1)}</button>` : ""}
    </fieldset>`;
    })}</div>
    <button id="roster-add-shift" type="button" class="btn" data-act="add-shift">+ ${t("addShift")}</button>
    <div class="field roster-reason"><label for="roster-reason">${t("changeReason")}</label>
      <input id="roster-reason" maxlength="500" autocomplete="off" value="${d.reason}"></div>
    <p id="roster-error" class="alert alert-error" role="alert" hidden></p>
    <div class="form-actions">
      <button id="roster-save" type="submit" class="btn btn-primary">${t("saveRoster")}</button>
      ${unit.roster ? html`<button id="roster-delete" type="button" class="btn btn-danger" data-act="delete-roster">${t("deleteRoster")}</button>` : ""}
    </div>
  </form>
</details>`;
  }

  function staffHTML(unit) {
    const staff = unitStaff(unit.id);
    const desk = new Set(unit.on_desk || []);
    const lv = S.rv.leave || { who: "", from: todayYMD(), to: todayYMD(), reason: "" };
    const cards = staff.map((o) => {
      const leave = o.leave || [];
      return html`<li class="person${o.on_leave ? " is-away" : ""}" data-username="${o.username}">
    <p class="person-head"><strong>${o.name}</strong> <span class="muted small">${o.username}${o.role === "head" ? " · " + roleName("head") : ""}</span></p>
    <p class="badges">
      ${o.on_leave ? html`<span class="badge badge-leave">${t("onLeave")}</span>` : ""}
      ${desk.has(o.username) ? html`<span class="badge badge-today">${t("onDesk")}</span>` : ""}
      ${!o.on_duty ? html`<span class="badge badge-off">${t("offDuty")}</span>` : ""}
      ${!o.active ? html`<span class="badge badge-off">${t("inactive")}</span>` : ""}
    </p>
    ${leave.length ? html`<ul class="leaves" aria-label="${t("leaveList", o.name)}">${leave.map((l, j) => html`<li class="leave${l.from <= todayYMD() && todayYMD() <= l.to ? " is-now" : ""}">
      <span><span class="leave-days">${dayRange(l)}</span>${l.reason ? html` · <span class="leave-reason">${l.reason}</span>` : ""}</span>
      <button type="button" class="btn btn-small" data-act="remove-leave" data-username="${o.username}" data-index="${j}" aria-label="${t("removeLeave", o.name, dayRange(l))}">${t("remove")}</button>
    </li>`)}</ul>` : html`<p class="muted small">${t("noLeave")}</p>`}
  </li>`;
    });
    return html`<section class="block" aria-labelledby="staff-h">
  <h2 id="staff-h" class="block-title" tabindex="-1">${t("staffTitle")}</h2>
  <p class="small muted">${t("leaveHelp")}</p>
  ${staff.length ? html`<ul id="staff-list" class="staff">${cards}</ul>` : html`<p class="hint">${t("noStaff")}</p>`}
  ${staff.length ? html`<form id="leave-form" class="action action-assign leave-form" data-unit="${unit.id}" novalidate>
    <h3 class="block-title">${t("addLeaveTitle")}</h3>
    <div class="leave-fields">
      <div class="field"><label for="leave-who">${t("leaveWho")}</label>
        <select id="leave-who" required>${options(staff.map((o) => [o.username, o.name]), lv.who, t("choose"))}</select></div>
      <div class="field"><label for="leave-from">${t("leaveFrom")}</label><input id="leave-from" type="date" value="${lv.from}" required></div>
      <div class="field"><label for="leave-to">${t("leaveTo")}</label><input id="leave-to" type="date" value="${lv.to}" required></div>
      <div class="field field-wide"><label for="leave-reason">${t("leaveReason")}</label><input id="leave-reason" maxlength="500" autocomplete="off" value="${lv.reason}"></div>
    </div>
    <p id="leave-error" class="alert alert-error" role="alert" hidden></p>
    <button id="leave-submit" type="submit" class="btn btn-primary">${t("addLeave")}</button>
  </form>` : ""}
</section>`;
  }

  // focusRosterField puts the focus on what a server error names.
  function focusRosterField(field) {
    let el = null;
    const m = /^shifts\[(\d+)\]$/.exec(field || "");
    if (field === "start") el = $("#roster-start");
    else if (m) el = $(`#roster-form input[data-shift="${m[1]}"]`);
    else if (field === "shifts") el = $("#roster-add-shift");
    else if (/^leave/.test(field || "")) el = $("#leave-from");
    if (el) el.focus();
  }

  async function saveRoster() {
    captureRoster();
    const d = S.rv.draft;
    const unit = S.rv.unit;
    if (!d || d.unit !== unit) return;
    setRvError("roster", null);
    if (!d.start) { setRvError("roster", localError("startRequired")); $("#roster-start").focus(); return; }
    const empty = d.shifts.findIndex((s) => !s.length);
    if (empty >= 0) {
      setRvError("roster", localError("shiftEmpty", empty + 1));
      const el = $(`#roster-form input[data-shift="${empty}"]`) || $("#roster-add-shift");
      el.focus();
      return;
    }
    const body = { start: d.start, shifts: d.shifts };
    if (d.reason.trim()) body.reason = d.reason.trim();
    await busy($("#roster-save"), async () => {
      try {
        await api("PUT", "/admin/v1/units/" + encodeURIComponent(unit) + "/roster", body);
      } catch (err) {
        setRvError("roster", err);
        focusRosterField(err.field);
        return;
      }
      S.rv.draft = null;
      toast(t("rosterSaved"));
      S.busy = false;
      await refreshRoster();
      S.rv.editOpen = false;
      const box = $("#roster-edit");
      if (box) box.open = false;
      const h = $("#roster-now-h");
      if (h) h.focus();
    });
  }

  async function deleteRoster() {
    captureRoster();
    const unit = S.rv.unit;
    const d = S.rv.draft;
    if (!window.confirm(t("deleteRosterConfirm"))) return;
    setRvError("roster", null);
    const q = d && d.reason.trim() ? "?" + new URLSearchParams({ reason: d.reason.trim() }) : "";
    await busy($("#roster-delete"), async () => {
      try {
        await api("DELETE", "/admin/v1/units/" + encodeURIComponent(unit) + "/roster" + q);
      } catch (err) {
        setRvError("roster", err);
        return;
      }
      S.rv.draft = null;
      toast(t("rosterDeleted"));
      S.busy = false;
      await refreshRoster();
      const h = $("#roster-now-h");
      if (h) h.focus();
    });
  }

  function addShift() {
    captureRoster();
    S.rv.draft.shifts.push([]);
    renderRoster();
    const n = S.rv.draft.shifts.length - 1;
    const el = $(`#roster-form input[data-shift="${n}"]`) || $("#roster-add-shift");
    el.focus();
  }
  function removeShift(i) {
    captureRoster();
    const shifts = S.rv.draft.shifts;
    if (shifts.length < 2 || !(i >= 0 && i < shifts.length)) return;
    shifts.splice(i, 1);
    renderRoster();
    $("#announce").textContent = t("shiftRemoved", i + 1);
    // The focus goes to the shift that took its place, else the one before.
    const next = Math.min(i, shifts.length - 1);
    const el = $(`#roster-form input[data-shift="${next}"]`) || $("#roster-add-shift");
    el.focus();
  }

  // putLeave replaces an official's list of leave (the API's one write).
  async function putLeave(btn, username, leave, done) {
    await busy(btn, async () => {
      try {
        await api("PUT", "/admin/v1/officials/" + encodeURIComponent(username) + "/leave", { leave });
      } catch (err) {
        setRvError("leave", err);
        focusRosterField(err.field);
        return;
      }
      setRvError("leave", null);
      S.busy = false;
      await done();
    });
  }

  async function addLeave() {
    captureRoster();
    const lv = S.rv.leave;
    setRvError("leave", null);
    if (!lv.who) { setRvError("leave", localError("leaveWhoRequired")); $("#leave-who").focus(); return; }
    if (!lv.from || !lv.to) { setRvError("leave", localError("leaveDatesRequired")); $(lv.from ? "#leave-to" : "#leave-from").focus(); return; }
    if (lv.to < lv.from) { setRvError("leave", localError("leaveOrder")); $("#leave-to").focus(); return; }
    const o = S.org.officials.find((x) => x.username === lv.who);
    const leave = ((o && o.leave) || []).map((l) => ({ from: l.from, to: l.to, reason: l.reason || "" }));
    const entry = { from: lv.from, to: lv.to };
    if (lv.reason.trim()) entry.reason = lv.reason.trim();
    leave.push(entry);
    leave.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
    const name = (o && o.name) || lv.who;
    await putLeave($("#leave-submit"), lv.who, leave, async () => {
      // An empty form for the next leave (the re-render reads the form back).
      const blank = { who: "", from: todayYMD(), to: todayYMD(), reason: "" };
      for (const k of Object.keys(blank)) { const el = $("#leave-" + k); if (el) el.value = blank[k]; }
      S.rv.leave = blank;
      toast(t("leaveSaved", name));
      await refreshRoster();
      const card = $(`#staff-list li[data-username="${CSS.escape(lv.who)}"] .leaves`);
      const who = $("#leave-who");
      if (who) who.focus();
      if (card) card.scrollIntoView({ block: "nearest" });
    });
  }

  async function removeLeave(btn) {
    captureRoster();
    const username = btn.dataset.username;
    const i = Number(btn.dataset.index);
    const o = S.org && S.org.officials.find((x) => x.username === username);
    if (!o || !o.leave || !o.leave[i]) return;
    const leave = o.leave.filter((_, j) => j !== i).map((l) => ({ from: l.from, to: l.to, reason: l.reason || "" }));
    await putLeave(btn, username, leave, async () => {
      toast(t("leaveRemoved", o.name));
      await refreshRoster();
      // The focus stays with the official: their next leave, else the form.
      const rest = $$(`#staff-list [data-act="remove-leave"][data-username="${CSS.escape(username)}"]`);
      (rest[Math.min(i, rest.length - 1)] || $("#leave-who") || $("#staff-h")).focus();
    });
  }

  // ---------------------------------------------------------------- session

  function showLogin(message) {
    S.me = null;
    stopTimer();
    $("#work").hidden = true;
    $("#roster-page").hidden = true;
    $("#views").hidden = true;
    S.view = "inbox";
    $("#signout").hidden = true;
    renderWho();
    $("#login").hidden = false;
    showError($("#login-error"), message || null);
    $("#password").value = "";
    ($("#username").value ? $("#password") : $("#username")).focus();
  }

  function expire() {
    if (!S.token) return;
    S.token = null;
    sessionStorage.removeItem("pakn.token");
    showLogin(localError("expired"));
  }

  async function signOut() {
    // End the sign-in on the server too, so that the token left in this
    // browser's memory, or copied from it, opens nothing more.
    if (S.token) {
      try { await api("POST", "/desk/v1/logout"); } catch (e) { /* signed out here regardless */ }
    }
    S.token = null;
    sessionStorage.removeItem("pakn.token");
    S.drafts = {};
    S.tickets = [];
    S.org = null;
    S.known = { units: new Map(), categories: new Set(), wards: new Set(), officials: new Map() };
    S.rv = { unit: "", draft: null, editOpen: false, leave: null, err: {} };
    closeTicket();
    history.replaceState(null, "", location.pathname);
    showLogin();
    toast(t("signedOut"));
  }

  function viewKey() { return "pakn.view." + (S.me ? S.me.username : ""); }

  async function enter(me) {
    if (S.lastUser !== me.username) {
      // Another official at this browser: nothing of the previous one stays.
      S.drafts = {};
      S.org = null;
      S.tickets = [];
      S.known = { units: new Map(), categories: new Set(), wards: new Set(), officials: new Map() };
      S.rv = { unit: "", draft: null, editOpen: false, leave: null, err: {} };
      if (S.open) closeTicket();
    }
    S.lastUser = me.username;
    S.me = me;
    S.listKey = ""; // the first list after signing in brings no "new items" notice
    S.known.officials.set(me.username, { name: me.name, unit: me.unit_id });
    let saved = {};
    try { saved = JSON.parse(localStorage.getItem(viewKey()) || "{}"); } catch (e) { saved = {}; }
    const scopes = scopesFor(me.role);
    S.scope = scopes.includes(saved.scope) ? saved.scope : scopes[0];
    S.status = FILTERS[saved.status] ? saved.status : "open";
    $("#status").value = S.status;
    $("#login").hidden = true;
    $("#work").hidden = false;
    $("#signout").hidden = false;
    markNav();
    renderWho();
    renderScopes();
    loadOrg(); // every official may read it: names, and the lists to assign from
    await loadInbox();
    renderWho(); // the unit's name is known from the tickets now
    route();
    startTimer();
  }

  async function fetchOrg() {
    const org = await api("GET", "/admin/v1/organisation");
    S.org = {
      units: org.units || [], categories: org.categories || [], wards: org.wards || [], officials: org.officials || [],
    };
    for (const o of S.org.officials) S.known.officials.set(o.username, { name: o.name, unit: o.unit_id });
  }

  async function loadOrg() {
    try {
      await fetchOrg();
      if (S.view === "roster") renderRoster();
      renderWho();
      renderInbox();
      if (S.ticket) renderTicket();
    } catch (err) {
      S.org = null; // the console works on codes instead
    }
  }

  function saveView() {
    localStorage.setItem(viewKey(), JSON.stringify({ scope: S.scope, status: S.status }));
  }

  // ------------------------------------------------------------- refreshing

  function startTimer() {
    stopTimer();
    S.timer = setInterval(tick, 30000);
  }
  function stopTimer() {
    if (S.timer) clearInterval(S.timer);
    S.timer = null;
  }
  function tick() {
    if (!S.me || document.hidden || S.busy) return;
    loadInbox();
    if (S.open) openTicket(S.open, { quiet: true });
  }
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && S.me && S.loadedAt && Date.now() - S.loadedAt > 30000) tick();
  });

  // ------------------------------------------------------------------ route

  function route() {
    if (!S.me) return;
    // #/roster (a head's unit) or #/roster/{unit}, for who runs a desk.
    const r = /^#\/roster(?:\/([^/?#]+))?$/.exec(location.hash);
    if (r && canRunDesk(S.me)) {
      if (S.open) closeTicket();
      openRoster(r[1] ? decodeURIComponent(r[1]) : undefined);
      return;
    }
    const m = /^#\/t\/([^/?#]+)$/.exec(location.hash);
    const code = m ? decodeURIComponent(m[1]) : null;
    if (showWork() && !code) $("#inbox-title").focus();
    if (code && code !== S.open) openTicket(code);
    else if (!code && S.open) closeTicket();
  }
  window.addEventListener("hashchange", route);

  function goTicket(code) {
    if (location.hash === "#/t/" + encodeURIComponent(code)) openTicket(code);
    else location.hash = "#/t/" + encodeURIComponent(code);
  }
  function goList() {
    if (location.hash) history.pushState(null, "", location.pathname + location.search);
    closeTicket();
  }

  // ----------------------------------------------------------------- events

  $("#login-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const u = $("#username").value.trim();
    const p = $("#password").value;
    const errEl = $("#login-error");
    if (!u || !p) { showError(errEl, localError("needCredentials")); (u ? $("#password") : $("#username")).focus(); return; }
    const btn = $("#login-submit");
    btn.disabled = true;
    btn.textContent = t("signingIn");
    try {
      const r = await api("POST", "/desk/v1/login", { username: u, password: p });
      S.token = r.token;
      sessionStorage.setItem("pakn.token", r.token);
      showError(errEl, null);
      $("#password").value = "";
      await enter(r.official);
      if (!S.open) { const first = $("#inbox-rows a"); (first || $("#inbox-title")).focus(); }
    } catch (err) {
      showError(errEl, err);
      $("#password").focus();
    } finally {
      btn.disabled = false;
      btn.textContent = t("signIn");
    }
  });

  $("#signout").addEventListener("click", signOut);

  $("#lang").addEventListener("click", () => {
    lang = lang === "vi" ? "en" : "vi";
    localStorage.setItem("pakn.lang", lang);
    applyStatic();
    if (S.me) {
      renderWho();
      renderScopes();
      renderInbox();
      if (S.ticket) renderTicket();
      if (S.view === "roster") renderRoster();
    }
    $("#lang").focus();
  });

  $("#scopes").addEventListener("change", (e) => {
    if (e.target.name !== "scope") return;
    S.scope = e.target.value;
    saveView();
    S.tickets = [];
    renderInbox();
    loadInbox();
  });
  $("#status").addEventListener("change", (e) => {
    S.status = e.target.value;
    saveView();
    S.tickets = [];
    renderInbox();
    loadInbox();
  });
  $("#search").addEventListener("input", (e) => { S.search = e.target.value; renderInbox(); });
  $("#filters").addEventListener("submit", (e) => {
    e.preventDefault();
    const code = codeIn(S.search);
    if (code) goTicket(code);
  });
  $("#refresh").addEventListener("click", () => { loadInbox(); if (S.open) openTicket(S.open, { quiet: true }); });

  // A click anywhere on a row opens it; the link in the row is what the
  // keyboard reaches (Tab), and the arrow keys move between rows.
  $("#inbox-rows").addEventListener("click", (e) => {
    const tr = e.target.closest("tr[data-code]");
    if (!tr || e.target.closest("a") || window.getSelection().toString()) return;
    goTicket(tr.dataset.code);
  });
  $("#inbox-rows").addEventListener("keydown", (e) => {
    const tr = e.target.closest("tr[data-code]");
    if (!tr) return;
    let next = null;
    if (e.key === "ArrowDown") next = tr.nextElementSibling;
    else if (e.key === "ArrowUp") next = tr.previousElementSibling;
    else if (e.key === "Home") next = tr.parentNode.firstElementChild;
    else if (e.key === "End") next = tr.parentNode.lastElementChild;
    else if (e.key === " ") { e.preventDefault(); goTicket(tr.dataset.code); return; }
    else return;
    e.preventDefault();
    const a = next && $("a", next);
    if (a) a.focus();
  });

  const pane = $("#ticket");
  pane.addEventListener("click", (e) => {
    const b = e.target.closest("[data-act]");
    if (b && b.dataset.act === "close") goList();
  });
  pane.addEventListener("input", (e) => {
    saveDraft(e.target);
    if (e.target.id === "reply-body") syncCount();
  });
  pane.addEventListener("change", (e) => {
    saveDraft(e.target);
    if (e.target.name === "kind") syncReplyKind();
    if (e.target.id === "assign-unit") syncAssignOfficials();
  });
  pane.addEventListener("toggle", (e) => {
    if (e.target.id === "assign-box" && S.open) (S.drafts[S.open] = S.drafts[S.open] || {}).assignOpen = e.target.open;
  }, true);
  pane.addEventListener("submit", (e) => {
    e.preventDefault();
    if (e.target.id === "reply-form") sendReply();
    if (e.target.id === "resolve-form") sendResolve();
    if (e.target.id === "assign-form") sendAssign();
    if (e.target.id === "unlink-form") sendUnlink();
  });
  pane.addEventListener("keydown", (e) => {
    // Ctrl+Enter sends the reply from the text box.
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && e.target.id === "reply-body") {
      e.preventDefault();
      sendReply();
    }
  });
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Escape" || !S.open) return;
    const tag = (e.target.tagName || "").toLowerCase();
    if (tag === "textarea" || tag === "input" || tag === "select") return;
    goList();
  });

  const rpage = $("#roster-page");
  rpage.addEventListener("click", (e) => {
    const b = e.target.closest("[data-act]");
    if (!b || b.disabled || S.busy) return;
    if (b.dataset.act === "add-shift") addShift();
    else if (b.dataset.act === "remove-shift") removeShift(Number(b.dataset.shift));
    else if (b.dataset.act === "delete-roster") deleteRoster();
    else if (b.dataset.act === "remove-leave") removeLeave(b);
  });
  rpage.addEventListener("submit", (e) => {
    e.preventDefault();
    if (e.target.id === "roster-form") saveRoster();
    if (e.target.id === "leave-form") addLeave();
  });
  $("#roster-unit").addEventListener("change", (e) => {
    captureRoster();
    const unit = e.target.value;
    history.replaceState(null, "", unit ? "#/roster/" + encodeURIComponent(unit) : "#/roster");
    S.rv.unit = unit;
    S.rv.err = {};
    S.rv.leave = null;
    renderRoster();
  });

  // ------------------------------------------------------------------- boot

  applyStatic();
  if (S.token) {
    api("GET", "/desk/v1/me").then(enter).catch((err) => {
      if (err.status !== 401) showLogin(err);
    });
  } else {
    showLogin();
  }
})();
