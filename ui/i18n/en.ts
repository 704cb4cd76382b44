<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="zh_CN">
<context>
    <name></name>
    <message>
        <source>{n} 秒后将自动退出登录。</source>
        <translation>You will be logged out in {n} seconds.</translation>
    </message>
    <message>
        <source>退出登录</source>
        <translation>Log out</translation>
    </message>
    <message>
        <source>您还在吗？{n} 秒后将结束办理，并清除您的全部信息。</source>
        <translation>Are you still there? In {n} seconds this session ends and all your information is cleared.</translation>
    </message>
    <message>
        <source>结束办理</source>
        <translation>End session</translation>
    </message>
    <message>
        <source>剩余 {n} 秒</source>
        <translation>{n} s left</translation>
    </message>
    <message>
        <source>继续办理</source>
        <translation>Continue</translation>
    </message>
    <message>
        <source>结束办理将清除您已填写的信息和拍摄的材料，不能恢复。确定要结束吗？</source>
        <translation>Ending now clears what you have filled in and the pages you photographed. This cannot be undone. End now?</translation>
    </message>
    <message>
        <source>结束并清除</source>
        <translation>End and clear</translation>
    </message>
    <message>
        <source>自助服务终端</source>
        <translation>Self-service kiosk</translation>
    </message>
    <message>
        <source>第 {i} 步，共 {n} 步</source>
        <translation>Step {i} of {n}</translation>
    </message>
    <message>
        <source>工作人员模式</source>
        <translation>Staff mode</translation>
    </message>
    <message>
        <source>运维模式</source>
        <translation>Technician mode</translation>
    </message>
    <message>
        <source>工作人员</source>
        <translation>Staff</translation>
    </message>
    <message>
        <source>感谢使用</source>
        <translation>Thank you</translation>
    </message>
    <message>
        <source>本机暂停服务，请到人工窗口办理。给您带来不便，敬请谅解。</source>
        <translation>This kiosk is out of service. Please go to a service window. We apologise for the inconvenience.</translation>
    </message>
    <message>
        <source>一窗受理 · 最多跑一次：刷身份证，选事项，拍材料，当场拿回执。</source>
        <translation>One window, one visit: tap your ID card, choose a service, photograph your documents, take your receipt.</translation>
    </message>
    <message>
        <source>办理业务</source>
        <translation>Apply for a service</translation>
    </message>
    <message>
        <source>感谢您的评价！</source>
        <translation>Thank you for your rating!</translation>
    </message>
    <message>
        <source>感谢您的使用！</source>
        <translation>Thank you for using the kiosk!</translation>
    </message>
    <message>
        <source>请取走您的身份证、材料原件和回执。凭回执上的二维码或查询密码可随时查询办理进度。</source>
        <translation>Please take your ID card, your original documents and the receipt. The QR code or the query password on the receipt shows the progress at any time.</translation>
    </message>
    <message>
        <source>返回首页</source>
        <translation>Home</translation>
    </message>
    <message>
        <source>可办理 {n} 项事项，支持拼音首字母搜索</source>
        <translation>{n} services available; search by pinyin initials</translation>
    </message>
    <message>
        <source>查询办件</source>
        <translation>Check an application</translation>
    </message>
    <message>
        <source>刷身份证或扫描回执二维码，查看办理进度</source>
        <translation>Tap your ID card or scan your receipt QR code to see the progress</translation>
    </message>
    <message>
        <source>大字版 / 关怀版</source>
        <translation>Large text / Care mode</translation>
    </message>
    <message>
        <source>已呼叫 {n}</source>
        <translation>Called: {n}</translation>
    </message>
    <message>
        <source>呼叫未成功，重试</source>
        <translation>Call failed: retry</translation>
    </message>
    <message>
        <source>呼叫帮办</source>
        <translation>Call staff</translation>
    </message>
    <message>
        <source>上一步</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>下一步</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>事项：{name}</source>
        <translation>Service: {name}</translation>
    </message>
    <message>
        <source>申请人：{name}  {cert}</source>
        <translation>Applicant: {name}  {cert}</translation>
    </message>
    <message>
        <source>代办人：{name}  {cert}（{kind}）</source>
        <translation>Agent: {name}  {cert} ({kind})</translation>
    </message>
    <message>
        <source>{name}：已拍 {n} 页</source>
        <translation>{name}: {n} page(s) photographed</translation>
    </message>
    <message>
        <source>{name}：免交</source>
        <translation>{name}: not needed</translation>
    </message>
    <message>
        <source>领取方式：{m}</source>
        <translation>Collection: {m}</translation>
    </message>
    <message>
        <source>承诺时限：{t}</source>
        <translation>Promised time: {t}</translation>
    </message>
    <message>
        <source>重试</source>
        <translation>Retry</translation>
    </message>
    <message>
        <source>确认提交</source>
        <translation>Confirm and submit</translation>
    </message>
    <message>
        <source>用于：{subs}</source>
        <translation>For: {subs}</translation>
    </message>
    <message>
        <source>同时办理 {n} 项：</source>
        <translation>{n} services applied for together:</translation>
    </message>
    <message>
        <source>牵头部门：{d}（统一受理，结果一并告知）</source>
        <translation>Lead department: {d} (one application; you are told all results together)</translation>
    </message>
    <message>
        <source>{name}：领取结果时在窗口交验原件</source>
        <translation>{name}: show the original at the window when collecting the result</translation>
    </message>
    <message>
        <source>收费：{f}</source>
        <translation>Fee: {f}</translation>
    </message>
    <message>
        <source>确认提交后请用手机扫码缴费</source>
        <translation>After you confirm, pay the fee by scanning a QR code with your phone</translation>
    </message>
    <message>
        <source>您仍可提交，回执编号和查询密码会显示在屏幕上，请拍照或记下；也可请工作人员补打回执。</source>
        <translation>You can still submit: the reference and the query password are shown on screen; take a photo or write them down, or ask staff to reprint the receipt.</translation>
    </message>
    <message>
        <source>正在保存并上传您的申请，请不要离开…</source>
        <translation>Saving and sending your application, please stay…</translation>
    </message>
    <message>
        <source>办件编号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <source>去评价</source>
        <translation>Rate the service</translation>
    </message>
    <message>
        <source>已收件：您的申请已提交到政务服务平台，等待部门受理。</source>
        <translation>Received: your application has been sent to the government service platform and awaits acceptance by the department.</translation>
    </message>
    <message>
        <source>收件待上传：网络暂时不可用，申请已安全保存在本机，联网后自动上传。</source>
        <translation>Received, pending upload: the network is unavailable. Your application is stored safely on this kiosk and will be uploaded automatically.</translation>
    </message>
    <message>
        <source>查询密码：{pw}</source>
        <translation>Query password: {pw}</translation>
    </message>
    <message>
        <source>已缴费 {amount}（统一公共支付）</source>
        <translation>Paid {amount} (public payment platform)</translation>
    </message>
    <message>
        <source>待缴费 {amount}：请在领取结果前到窗口缴纳</source>
        <translation>{amount} to pay: please pay at the window before you collect the result</translation>
    </message>
    <message>
        <source>正在打印回执…</source>
        <translation>Printing your receipt…</translation>
    </message>
    <message>
        <source>请取走您的回执，凭回执上的二维码可随时查询进度。</source>
        <translation>Please take your receipt. Its QR code shows the progress at any time.</translation>
    </message>
    <message>
        <source>重新打印</source>
        <translation>Print again</translation>
    </message>
    <message>
        <source>正在打印A4文书…</source>
        <translation>Printing the A4 copy…</translation>
    </message>
    <message>
        <source>A4文书（申请表、受理通知）已打印，请在文书打印机取走。</source>
        <translation>Your A4 copy (application form and notice) is printed: please take it from the document printer.</translation>
    </message>
    <message>
        <source>文书打印机{what}，暂时不能打印A4文书；回执不受影响。</source>
        <translation>Document printer: {what}. The A4 copy cannot be printed now; your receipt is not affected.</translation>
    </message>
    <message>
        <source>A4文书未能打印，请重试或请工作人员帮助。</source>
        <translation>The A4 copy could not be printed. Please try again or ask staff for help.</translation>
    </message>
    <message>
        <source>打印A4文书</source>
        <translation>Print A4 copy</translation>
    </message>
    <message>
        <source>请选择原因（可多选）：</source>
        <translation>Please choose the reasons (several allowed):</translation>
    </message>
    <message>
        <source>跳过</source>
        <translation>Skip</translation>
    </message>
    <message>
        <source>补交材料需申请人本人办理：请把申请人的身份证放在读卡区</source>
        <translation>Only the applicant can hand in the materials: please lay the applicant&apos;s ID card on the reader</translation>
    </message>
    <message>
        <source>正在打印补正回执…</source>
        <translation>Printing the supplement receipt…</translation>
    </message>
    <message>
        <source>请取走您的补正回执。</source>
        <translation>Please take your supplement receipt.</translation>
    </message>
    <message>
        <source>数据使用记录：</source>
        <translation>Who used your data:</translation>
    </message>
    <message>
        <source>{t}  {op}  工号 {n}  {hall}</source>
        <translation>{t}  {op}  staff no. {n}  {hall}</translation>
    </message>
    <message>
        <source>提交评价</source>
        <translation>Submit rating</translation>
    </message>
    <message>
        <source>{name}，您好：</source>
        <translation>Hello, {name}:</translation>
    </message>
    <message>
        <source>正在查询…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <source>{name} 的办件：</source>
        <translation>Applications of {name}:</translation>
    </message>
    <message>
        <source>需补交：{m}</source>
        <translation>To hand in: {m}</translation>
    </message>
    <message>
        <source>现在补交材料</source>
        <translation>Hand in the documents now</translation>
    </message>
    <message>
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>补正材料已提交，部门将继续办理，结果会通知您。</source>
        <translation>Your documents have been sent; the department continues with your case and will tell you the result.</translation>
    </message>
    <message>
        <source>补正材料已安全保存在本机，网络恢复后自动提交，无需再次办理。</source>
        <translation>Your documents are stored safely on this kiosk and will be sent automatically when the network is back; you need not come again.</translation>
    </message>
    <message>
        <source>办件：{name}</source>
        <translation>Application: {name}</translation>
    </message>
    <message>
        <source>统一收件码：{p}</source>
        <translation>Unified receipt code: {p}</translation>
    </message>
    <message>
        <source>申请人：{n}</source>
        <translation>Applicant: {n}</translation>
    </message>
    <message>
        <source>状态：{s}</source>
        <translation>Status: {s}</translation>
    </message>
    <message>
        <source>承诺办结：{t}</source>
        <translation>Promised completion: {t}</translation>
    </message>
    <message>
        <source>需补正：{r}</source>
        <translation>Supplement needed: {r}</translation>
    </message>
    <message>
        <source>公共数据平台</source>
        <translation>public data platform</translation>
    </message>
    <message>
        <source>电子证照库</source>
        <translation>e-licence registry</translation>
    </message>
    <message>
        <source>身份证</source>
        <translation>ID card</translation>
    </message>
    <message>
        <source>例如 2024-03-01</source>
        <translation>e.g. 2024-03-01</translation>
    </message>
    <message>
        <source>11位手机号</source>
        <translation>11-digit mobile number</translation>
    </message>
    <message>
        <source>请输入数字</source>
        <translation>Please enter a number</translation>
    </message>
    <message>
        <source>省 市 区 街道 门牌号</source>
        <translation>Province, city, district, street, number</translation>
    </message>
    <message>
        <source>已自动填写，来源：{s}</source>
        <translation>Filled in automatically, source: {s}</translation>
    </message>
    <message>
        <source>正在获取您的信息…</source>
        <translation>Fetching your information…</translation>
    </message>
    <message>
        <source>收件人</source>
        <translation>Recipient</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>详细地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>快递收件地址（邮费由政府承担）</source>
        <translation>Delivery address (postage paid by the government)</translation>
    </message>
    <message>
        <source>请将身份证平放在下方感应区，读卡时不要移动。没带身份证也可以扫描手机上的电子身份码。</source>
        <translation>Lay your ID card flat on the reader below and keep it still. No card with you? You can also scan the e-ID code on your phone.</translation>
    </message>
    <message>
        <source>代办人已登记。请放申请人本人的身份证（代办人请先取走自己的证件）。</source>
        <translation>The agent is recorded. Now place the applicant&apos;s own ID card (agent: please take your own card away first). </translation>
    </message>
    <message>
        <source>手工录入证件信息</source>
        <translation>Enter the ID document by hand</translation>
    </message>
    <message>
        <source>正在打开摄像头…</source>
        <translation>Opening the camera…</translation>
    </message>
    <message>
        <source>请摘下帽子和口罩，正对屏幕上方的摄像头，按画面提示眨眼或转头。</source>
        <translation>Take off hat and mask, face the camera above the screen, and blink or turn your head when the picture asks.</translation>
    </message>
    <message>
        <source>再试一次</source>
        <translation>Try again</translation>
    </message>
    <message>
        <source>跳过人脸核验</source>
        <translation>Skip face check</translation>
    </message>
    <message>
        <source>请放身份证，或把回执上的二维码对准扫码口。</source>
        <translation>Tap your ID card, or hold the receipt QR code to the scanner.</translation>
    </message>
    <message>
        <source>正在打开高拍仪…</source>
        <translation>Opening the document camera…</translation>
    </message>
    <message>
        <source>提交补正材料</source>
        <translation>Send the documents</translation>
    </message>
    <message>
        <source>正在提交补正材料…</source>
        <translation>Sending the documents…</translation>
    </message>
    <message>
        <source>（非必交）</source>
        <translation> (optional)</translation>
    </message>
    <message>
        <source>已拍 {n} 页</source>
        <translation>{n} page(s)</translation>
    </message>
    <message>
        <source>未拍摄</source>
        <translation>Not photographed</translation>
    </message>
    <message>
        <source>以承诺代替</source>
        <translation>By promise instead</translation>
    </message>
    <message>
        <source>改为拍摄上传</source>
        <translation>Photograph it instead</translation>
    </message>
    <message>
        <source>承诺代替材料</source>
        <translation>Promise instead</translation>
    </message>
    <message>
        <source>请把“{name}”平放在拍摄区，放稳后会自动拍照；多页请逐页拍摄。</source>
        <translation>Lay &quot;{name}&quot; flat in the capture area; the photo is taken automatically when it is still. Photograph one page at a time.</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>删除第 {n} 页</source>
        <translation>Delete page {n}</translation>
    </message>
    <message>
        <source>前几页</source>
        <translation>Earlier pages</translation>
    </message>
    <message>
        <source>后几页</source>
        <translation>Later pages</translation>
    </message>
    <message>
        <source>您可以继续办理，未拍摄的材料请在领取结果时带原件到窗口交验。</source>
        <translation>You can continue; bring the originals of the documents not photographed to the window when you collect the result.</translation>
    </message>
    <message>
        <source>免交（已通过数据共享获取）：</source>
        <translation>Not needed (obtained through data sharing): </translation>
    </message>
    <message>
        <source>“{name}”最多 {n} 页，已拍满。如需更换，请先删除不要的页。</source>
        <translation>“{name}” takes at most {n} pages and is full. To replace a page, delete it first.</translation>
    </message>
    <message>
        <source>立即拍照</source>
        <translation>Take photo now</translation>
    </message>
    <message>
        <source>输入事项名称或拼音首字母，如 gjj</source>
        <translation>Type a service name or pinyin initials, e.g. gjj</translation>
    </message>
    <message>
        <source>个人办事</source>
        <translation>Personal</translation>
    </message>
    <message>
        <source>法人办事</source>
        <translation>Business</translation>
    </message>
    <message>
        <source>一件事</source>
        <translation>Life events</translation>
    </message>
    <message>
        <source>搜索</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>删除一个字母</source>
        <translation>Delete a letter</translation>
    </message>
    <message>
        <source>没有找到相关事项，请换个说法或到人工窗口咨询</source>
        <translation>No service found. Try other words or ask at the service window.</translation>
    </message>
    <message>
        <source>上一页</source>
        <translation>Previous page</translation>
    </message>
    <message>
        <source>第 {i} 页，共 {n} 页</source>
        <translation>Page {i} of {n}</translation>
    </message>
    <message>
        <source>下一页</source>
        <translation>Next page</translation>
    </message>
    <message>
        <source>一件事 · 多个部门一次办</source>
        <translation>Life event · several departments at once</translation>
    </message>
    <message>
        <source>开始申请</source>
        <translation>Start application</translation>
    </message>
    <message>
        <source>办理部门：{d}</source>
        <translation>Department: {d}</translation>
    </message>
    <message>
        <source>政务服务中心</source>
        <translation>Government service centre</translation>
    </message>
    <message>
        <source>法定时限：{t}</source>
        <translation>Legal time limit: {t}</translation>
    </message>
    <message>
        <source>收费标准：{f}</source>
        <translation>Fees: {f}</translation>
    </message>
    <message>
        <source>办理条件：{c}</source>
        <translation>Conditions: {c}</translation>
    </message>
    <message>
        <source>可在本机用手机扫码缴费</source>
        <translation>The fee can be paid here by scanning a QR code with your phone</translation>
    </message>
    <message>
        <source>，也可到窗口缴费</source>
        <translation>, or at the window</translation>
    </message>
    <message>
        <source>设定依据：{b}</source>
        <translation>Legal basis: {b}</translation>
    </message>
    <message>
        <source>原件核验：{w}</source>
        <translation>Originals checked: {w}</translation>
    </message>
    <message>
        <source>需要的材料：</source>
        <translation>Documents needed:</translation>
    </message>
    <message>
        <source>需要的材料（按您选择同时办理的事项确定）：</source>
        <translation>Materials (depending on the services you choose to apply for together):</translation>
    </message>
    <message>
        <source>（可免交：通过数据共享获取）</source>
        <translation> (not needed: obtained through data sharing)</translation>
    </message>
    <message>
        <source>无需提交材料</source>
        <translation>No documents needed</translation>
    </message>
    <message>
        <source>可同时办理：{subs}</source>
        <translation>Can be applied for together: {subs}</translation>
    </message>
    <message>
        <source>为减少填写和提交材料，本机将在您同意后，从浙江省公共数据平台获取以下信息，仅用于办理“{name}”，办理结束后本机不保留：</source>
        <translation>To save you typing and paperwork, with your consent this kiosk fetches the following from the Zhejiang public data platform, only for &quot;{name}&quot;; the kiosk keeps nothing after you finish:</translation>
    </message>
    <message>
        <source>• 身份信息：姓名、证件号码、户籍地址（来源：公安部门）</source>
        <translation>• Identity: name, ID number, registered address (source: public security)</translation>
    </message>
    <message>
        <source>• 电子证照：与本事项有关的证照（来源：各发证部门）</source>
        <translation>• E-licences related to this service (source: issuing departments)</translation>
    </message>
    <message>
        <source>• 其他共享数据：本事项需要的登记信息（来源：相关部门）</source>
        <translation>• Other shared data this service needs (source: the departments concerned)</translation>
    </message>
    <message>
        <source>不同意也可以继续办理，但需要您自己填写全部信息并拍摄全部材料。</source>
        <translation>If you decline you can still apply, but you will fill in everything and photograph every document yourself.</translation>
    </message>
    <message>
        <source>不同意，自己填写</source>
        <translation>Decline, fill in myself</translation>
    </message>
    <message>
        <source>同意授权</source>
        <translation>I agree</translation>
    </message>
    <message>
        <source>欢迎使用自助服务终端</source>
        <translation>Welcome to the self-service kiosk</translation>
    </message>
    <message>
        <source>请将身份证放在感应区</source>
        <translation>Lay your ID card on the reader</translation>
    </message>
    <message>
        <source>人脸核验</source>
        <translation>Face check</translation>
    </message>
    <message>
        <source>请选择要办理的事项</source>
        <translation>Choose a service</translation>
    </message>
    <message>
        <source>办事指南</source>
        <translation>Service guide</translation>
    </message>
    <message>
        <source>授权获取您的信息</source>
        <translation>Consent to fetch your information</translation>
    </message>
    <message>
        <source>填写申请信息</source>
        <translation>Fill in the application</translation>
    </message>
    <message>
        <source>拍摄申请材料</source>
        <translation>Photograph your documents</translation>
    </message>
    <message>
        <source>选择结果领取方式</source>
        <translation>How to receive the result</translation>
    </message>
    <message>
        <source>请核对申请信息</source>
        <translation>Please check your application</translation>
    </message>
    <message>
        <source>正在提交</source>
        <translation>Submitting</translation>
    </message>
    <message>
        <source>收件回执</source>
        <translation>Receipt</translation>
    </message>
    <message>
        <source>请对本次服务进行评价</source>
        <translation>Please rate our service</translation>
    </message>
    <message>
        <source>办件查询</source>
        <translation>Check an application</translation>
    </message>
    <message>
        <source>办件查询结果</source>
        <translation>Application status</translation>
    </message>
    <message>
        <source>工作人员登录</source>
        <translation>Staff login</translation>
    </message>
    <message>
        <source>工作人员服务</source>
        <translation>Staff services</translation>
    </message>
    <message>
        <source>登记代办人</source>
        <translation>Record the agent</translation>
    </message>
    <message>
        <source>手工录入申请人证件</source>
        <translation>Enter the applicant&apos;s ID document</translation>
    </message>
    <message>
        <source>设备维护</source>
        <translation>Device maintenance</translation>
    </message>
    <message>
        <source>请放身份证或扫描回执上的二维码</source>
        <translation>Tap your ID card or scan the QR code on your receipt</translation>
    </message>
    <message>
        <source>请确认是否授权获取您的信息</source>
        <translation>Please confirm whether we may fetch your information</translation>
    </message>
    <message>
        <source>请将材料放在拍摄区</source>
        <translation>Lay the document in the capture area</translation>
    </message>
    <message>
        <source>正在提交，请稍候</source>
        <translation>Submitting, please wait</translation>
    </message>
    <message>
        <source>请用手机扫描屏幕上的二维码缴费</source>
        <translation>Please scan the QR code on the screen with your phone to pay</translation>
    </message>
    <message>
        <source>请阅读承诺书，并在屏幕上签名</source>
        <translation>Please read the letter of promise and sign on the screen</translation>
    </message>
    <message>
        <source>缴费成功</source>
        <translation>Payment received</translation>
    </message>
    <message>
        <source>请取走您的回执</source>
        <translation>Please take your receipt</translation>
    </message>
    <message>
        <source>您还在吗？请触摸屏幕继续办理</source>
        <translation>Are you still there? Touch the screen to continue</translation>
    </message>
    <message>
        <source>身份证被移开了，请把身份证平放在感应区，不要移动</source>
        <translation>The card was moved. Lay your ID card flat on the reader and keep it still.</translation>
    </message>
    <message>
        <source>没有读到身份证，请把身份证平放在感应区</source>
        <translation>No ID card was read. Lay your ID card flat on the reader.</translation>
    </message>
    <message>
        <source>读卡失败，请重新放置身份证</source>
        <translation>Reading failed. Please lay your ID card down again.</translation>
    </message>
    <message>
        <source>这张证件无法识别，请到人工窗口办理</source>
        <translation>This card cannot be verified. Please go to a service window.</translation>
    </message>
    <message>
        <source>这种证件暂不支持，请到人工窗口办理</source>
        <translation>This kind of card is not supported yet. Please go to a service window.</translation>
    </message>
    <message>
        <source>读卡器暂不可用，请联系工作人员，或点“重试”</source>
        <translation>The card reader is unavailable. Please ask the staff, or tap &quot;Retry&quot;.</translation>
    </message>
    <message>
        <source>这个二维码不是办件回执，请扫描回执上的二维码</source>
        <translation>This QR code is not an application receipt. Please scan the QR code on your receipt.</translation>
    </message>
    <message>
        <source>这张身份证不是该办件的申请人，补正需申请人本人办理</source>
        <translation>This ID card is not the applicant&apos;s for this case; the applicant hands in the materials in person</translation>
    </message>
    <message>
        <source>暂时无法自动获取您的信息，请手动填写</source>
        <translation>Your information could not be fetched automatically. Please fill it in.</translation>
    </message>
    <message>
        <source>有几项需要修改，请看标红的提示</source>
        <translation>Some entries need changes; see the red notes.</translation>
    </message>
    <message>
        <source>还有必交材料没有拍摄</source>
        <translation>Some required documents have not been photographed yet.</translation>
    </message>
    <message>
        <source>请选择一种领取方式</source>
        <translation>Please choose how to receive the result.</translation>
    </message>
    <message>
        <source>请先选择一个评价</source>
        <translation>Please choose a rating first.</translation>
    </message>
    <message>
        <source>请选择不满意的原因，我们会跟进整改</source>
        <translation>Please choose why you are dissatisfied; we will follow up.</translation>
    </message>
    <message>
        <source>提交没有成功，您的材料没有丢失，请点“重试”</source>
        <translation>Submitting did not work. Nothing was lost; please tap &quot;Retry&quot;.</translation>
    </message>
    <message>
        <source>终端存储已满，暂时无法收件，请到人工窗口办理</source>
        <translation>The kiosk&apos;s storage is full and cannot take applications now. Please go to a service window.</translation>
    </message>
    <message>
        <source>回执打印失败，请点“重新打印”或联系工作人员</source>
        <translation>Printing the receipt failed. Tap &quot;Print again&quot; or ask the staff.</translation>
    </message>
    <message>
        <source>暂时无法查询，请稍后再试</source>
        <translation>Status is not available right now. Please try again later.</translation>
    </message>
    <message>
        <source>没有查到办件记录</source>
        <translation>No application found.</translation>
    </message>
    <message>
        <source>没有拍到材料，请重新放置后再拍</source>
        <translation>No document was captured. Lay it down again and retry.</translation>
    </message>
    <message>
        <source>这份材料的页数已满，请先删除不要的页再拍</source>
        <translation>This document has all its pages. Delete a page before taking another</translation>
    </message>
    <message>
        <source>这一页已经拍好了，请翻到下一页或换下一份材料</source>
        <translation>This page is already taken. Turn to the next page or place the next document</translation>
    </message>
    <message>
        <source>高拍仪暂不可用，请联系工作人员</source>
        <translation>The document camera is unavailable. Please ask the staff.</translation>
    </message>
    <message>
        <source>照片不清楚，请把材料放平，不要移动</source>
        <translation>The photo is blurred. Lay the document flat and keep it still.</translation>
    </message>
    <message>
        <source>有反光，请调整材料位置</source>
        <translation>There is glare. Please move the document a little.</translation>
    </message>
    <message>
        <source>没有找到材料，请把材料放在拍摄区中间</source>
        <translation>No document found. Lay it in the middle of the capture area.</translation>
    </message>
    <message>
        <source>材料太小，请放在拍摄区中间</source>
        <translation>The document is too small. Lay it in the middle of the capture area.</translation>
    </message>
    <message>
        <source>材料超出拍摄区，请放在中间</source>
        <translation>The document goes beyond the capture area. Lay it in the middle.</translation>
    </message>
    <message>
        <source>请不要移动材料</source>
        <translation>Please keep the document still.</translation>
    </message>
    <message>
        <source>网络暂不可用</source>
        <translation>The network is unavailable.</translation>
    </message>
    <message>
        <source>已读取代办人身份证，请核对并补充联系电话</source>
        <translation>Agent&apos;s ID card read: please check it and add a phone number</translation>
    </message>
    <message>
        <source>这是代办人的证件。请取走，放申请人本人的身份证</source>
        <translation>This is the agent&apos;s card. Please take it away and place the applicant&apos;s own ID card</translation>
    </message>
    <message>
        <source>缴费码已过期，没有扣款。请点“重新生成缴费码”</source>
        <translation>The payment code expired; nothing was charged. Tap “New payment code”.</translation>
    </message>
    <message>
        <source>本次缴费已取消，没有扣款。可以重新生成缴费码</source>
        <translation>This payment was cancelled; nothing was charged. You can make a new payment code.</translation>
    </message>
    <message>
        <source>暂时无法连接缴费平台，请稍后重试，或到窗口缴费</source>
        <translation>The payment platform cannot be reached now. Try again later, or pay at the window.</translation>
    </message>
    <message>
        <source>正在确认缴费结果，网络较慢，请稍候；已付款的不会重复扣款</source>
        <translation>Checking the payment; the network is slow, please wait. You will not be charged twice.</translation>
    </message>
    <message>
        <source>出现问题，请重试或联系工作人员</source>
        <translation>Something went wrong. Please retry or ask the staff.</translation>
    </message>
    <message>
        <source>本机暂停服务，请到人工窗口办理</source>
        <translation>This kiosk is out of service, please go to a service window</translation>
    </message>
    <message>
        <source>等待超时</source>
        <translation>timed out</translation>
    </message>
    <message>
        <source>驱动错误</source>
        <translation>driver error</translation>
    </message>
    <message>
        <source>缺少驱动</source>
        <translation>driver missing</translation>
    </message>
    <message>
        <source>没有访问权限</source>
        <translation>no permission</translation>
    </message>
    <message>
        <source>无应答</source>
        <translation>not responding</translation>
    </message>
    <message>
        <source>连接中断</source>
        <translation>connection lost</translation>
    </message>
    <message>
        <source>未找到设备</source>
        <translation>device not found</translation>
    </message>
    <message>
        <source>未安装</source>
        <translation>not installed</translation>
    </message>
    <message>
        <source>安全模块故障</source>
        <translation>security module fault</translation>
    </message>
    <message>
        <source>纸将用完</source>
        <translation>paper low</translation>
    </message>
    <message>
        <source>状态未知</source>
        <translation>status unknown</translation>
    </message>
    <message>
        <source>回执打印机{what}，暂时无法打印。您的申请已保存，请记下上面的编号和查询密码，或请工作人员补打回执。</source>
        <translation>Receipt printer: {what}, so nothing can be printed now. Your application is saved: write down the reference and query password above, or ask staff to reprint the receipt.</translation>
    </message>
    <message>
        <source>请输入数字，例如 5000</source>
        <translation>Enter a number, e.g. 5000</translation>
    </message>
    <message>
        <source>请输入 11 位手机号</source>
        <translation>Enter an 11-digit mobile number</translation>
    </message>
    <message>
        <source>请不要输入表情符号或特殊字符</source>
        <translation>Please do not enter emoji or special characters</translation>
    </message>
    <message>
        <source>请输入 11 位手机号，或带区号的固定电话</source>
        <translation>Enter an 11-digit mobile number or a landline with area code</translation>
    </message>
    <message>
        <source>请至少选择 {n} 项</source>
        <translation>Choose at least {n}</translation>
    </message>
    <message>
        <source>最多选择 {n} 项</source>
        <translation>Choose at most {n}</translation>
    </message>
    <message>
        <source>证件号码不正确，请与证件核对</source>
        <translation>The document number is not valid, please check it against the document</translation>
    </message>
    <message>
        <source>姓名不正确，请与证件核对</source>
        <translation>The name is not valid, please check it against the document</translation>
    </message>
    <message>
        <source>申请人不能是代办人本人</source>
        <translation>The applicant cannot be the agent</translation>
    </message>
    <message>
        <source>协助您提交申请（帮办）</source>
        <translation>helped you apply</translation>
    </message>
    <message>
        <source>代您提交申请（代办）</source>
        <translation>applied on your behalf</translation>
    </message>
    <message>
        <source>补打收件回执</source>
        <translation>reprinted the receipt</translation>
    </message>
    <message>
        <source>重新上传申请</source>
        <translation>sent the application again</translation>
    </message>
    <message>
        <source>为您查询办件进度</source>
        <translation>looked up the status for you</translation>
    </message>
    <message>
        <source>密码不正确，还可以再试 {n} 次</source>
        <translation>Wrong PIN, {n} more tries</translation>
    </message>
    <message>
        <source>输错次数太多，已锁定，请 {n} 秒后再试</source>
        <translation>Too many wrong PINs: locked, try again in {n} seconds</translation>
    </message>
    <message>
        <source>密码是 6–12 位数字</source>
        <translation>The PIN has 6 to 12 digits</translation>
    </message>
    <message>
        <source>工号是 5–12 位数字</source>
        <translation>The staff number is 5 to 12 digits</translation>
    </message>
    <message>
        <source>本机没有开通这个角色，请联系管理员</source>
        <translation>This role is not enabled on this kiosk, please contact the administrator</translation>
    </message>
    <message>
        <source>您没有在本大厅以这个角色工作的权限</source>
        <translation>You may not work in this role at this hall</translation>
    </message>
    <message>
        <source>暂时无法核对工作人员名单（离线过久），请联系管理员</source>
        <translation>The staff list cannot be checked now (offline too long); please call the administrator</translation>
    </message>
    <message>
        <source>扫码登录未获确认，请重试或改用工号和密码</source>
        <translation>The QR log-in was not confirmed; try again or use your staff number and PIN</translation>
    </message>
    <message>
        <source>二维码已过期，请重新扫码登录</source>
        <translation>The QR code has expired; please start the QR log-in again</translation>
    </message>
    <message>
        <source>暂时连不上平台，请改用工号和密码登录</source>
        <translation>The platform cannot be reached; please log in with your staff number and PIN</translation>
    </message>
    <message>
        <source>暂时无法登录，请稍后再试</source>
        <translation>Login is not possible right now, please try again later</translation>
    </message>
    <message>
        <source>读卡成功：{id}</source>
        <translation>Card read: {id}</translation>
    </message>
    <message>
        <source>找到纸张</source>
        <translation>page found</translation>
    </message>
    <message>
        <source>未找到纸张（{reason}）</source>
        <translation>no page found ({reason})</translation>
    </message>
    <message>
        <source>画面 {size}，{page}</source>
        <translation>frame {size}, {page}</translation>
    </message>
    <message>
        <source>可用于比对</source>
        <translation>usable for comparison</translation>
    </message>
    <message>
        <source>不可用（{why}）</source>
        <translation>not usable ({why})</translation>
    </message>
    <message>
        <source>画面 {size}，{n} 张人脸，{verdict}</source>
        <translation>frame {size}, {n} face(s), {verdict}</translation>
    </message>
    <message>
        <source>测试页已打印（{n} 字节）</source>
        <translation>test page printed ({n} bytes)</translation>
    </message>
    <message>
        <source>读到条码：{n} 个字符，格式 {format}，类型 {kind}</source>
        <translation>code read: {n} characters, format {format}, kind {kind}</translation>
    </message>
    <message>
        <source>已重新加入上传队列</source>
        <translation>Queued for upload again</translation>
    </message>
    <message>
        <source>已作废，申请数据已删除</source>
        <translation>Voided: the application&apos;s data is deleted</translation>
    </message>
    <message>
        <source>已开始上传，列表会自动刷新</source>
        <translation>Upload started; the list refreshes by itself</translation>
    </message>
    <message>
        <source>已补打回执（副本）</source>
        <translation>Receipt reprinted (copy)</translation>
    </message>
    <message>
        <source>设备状态已更改</source>
        <translation>Device status changed</translation>
    </message>
    <message>
        <source>测试完成</source>
        <translation>Test done</translation>
    </message>
    <message>
        <source>诊断包已导出：{d}</source>
        <translation>Diagnostic bundle exported: {d}</translation>
    </message>
    <message>
        <source>本机已暂停服务</source>
        <translation>The kiosk is now out of service</translation>
    </message>
    <message>
        <source>本机已恢复服务</source>
        <translation>The kiosk is back in service</translation>
    </message>
    <message>
        <source>已保存</source>
        <translation>Saved</translation>
    </message>
    <message>
        <source>作废后申请数据会被删除，不能恢复。确认请再点一次“作废”。</source>
        <translation>Voiding deletes the application&apos;s data for good. Tap “Void” again to confirm.</translation>
    </message>
    <message>
        <source>这件申请已尝试上传 {d} 次，平台可能已经收到；作废只删除本机的数据，不能恢复。确认请再点一次“作废”。</source>
        <translation>This application was sent {d} times and the platform may already have it; voiding deletes only the data on this kiosk, for good. Tap “Void” again to confirm.</translation>
    </message>
    <message>
        <source>平台已退回这件申请，不能补打回执；请到离线队列查看原因</source>
        <translation>The platform refused this application, so no receipt can be reprinted; see the offline queue for the reason</translation>
    </message>
    <message>
        <source>这件申请已作废，不能补打回执</source>
        <translation>This application was voided; no receipt can be reprinted</translation>
    </message>
    <message>
        <source>本机没有保存这张回执</source>
        <translation>This kiosk did not keep that receipt</translation>
    </message>
    <message>
        <source>队列里没有这件申请</source>
        <translation>This application is not in the queue</translation>
    </message>
    <message>
        <source>这件申请现在不能这样处理</source>
        <translation>This cannot be done with this application now</translation>
    </message>
    <message>
        <source>回执打印机缺纸</source>
        <translation>The receipt printer is out of paper</translation>
    </message>
    <message>
        <source>回执打印机机盖打开</source>
        <translation>The receipt printer cover is open</translation>
    </message>
    <message>
        <source>等待超时，没有读到</source>
        <translation>Timed out: nothing was read</translation>
    </message>
    <message>
        <source>操作没有成功（{c}）</source>
        <translation>That did not work ({c})</translation>
    </message>
    <message>
        <source>待上传</source>
        <translation>Waiting for upload</translation>
    </message>
    <message>
        <source>发送中</source>
        <translation>Sending</translation>
    </message>
    <message>
        <source>已送达平台</source>
        <translation>Delivered to the platform</translation>
    </message>
    <message>
        <source>被平台退回</source>
        <translation>Refused by the platform</translation>
    </message>
    <message>
        <source>居民身份证</source>
        <translation>Resident ID card</translation>
    </message>
    <message>
        <source>港澳台居民居住证</source>
        <translation>HK/MO/TW residence permit</translation>
    </message>
    <message>
        <source>外国人永久居留身份证</source>
        <translation>Foreign permanent resident ID</translation>
    </message>
    <message>
        <source>港澳居民来往内地通行证</source>
        <translation>HK/MO travel permit</translation>
    </message>
    <message>
        <source>台湾居民来往大陆通行证</source>
        <translation>Taiwan travel permit</translation>
    </message>
    <message>
        <source>护照</source>
        <translation>Passport</translation>
    </message>
    <message>
        <source>受委托人（亲属等）</source>
        <translation>Authorised person (relative …)</translation>
    </message>
    <message>
        <source>本厅工作人员</source>
        <translation>Staff of this hall</translation>
    </message>
    <message>
        <source>身份证读卡器</source>
        <translation>ID card reader</translation>
    </message>
    <message>
        <source>高拍仪</source>
        <translation>Document camera</translation>
    </message>
    <message>
        <source>回执打印机</source>
        <translation>Receipt printer</translation>
    </message>
    <message>
        <source>扫码器</source>
        <translation>Code scanner</translation>
    </message>
    <message>
        <source>人脸摄像头</source>
        <translation>Face camera</translation>
    </message>
    <message>
        <source>文书打印机</source>
        <translation>Document printer</translation>
    </message>
    <message>
        <source>已停用（运维人员停用）</source>
        <translation>Out of service (taken out by a technician)</translation>
    </message>
    <message>
        <source>正常</source>
        <translation>Ready</translation>
    </message>
    <message>
        <source>使用中</source>
        <translation>In use</translation>
    </message>
    <message>
        <source>需要处理</source>
        <translation>Needs attention</translation>
    </message>
    <message>
        <source>处理方式：自动复位重试</source>
        <translation>Action: automatic reset and retry</translation>
    </message>
    <message>
        <source>处理方式：现场工作人员处理（加纸、关盖等）</source>
        <translation>Action: on-site staff (add paper, close the cover …)</translation>
    </message>
    <message>
        <source>处理方式：需要运维人员维修</source>
        <translation>Action: needs a technician</translation>
    </message>
    <message>
        <source>处理方式：检查配置（kiosk.toml）和连接</source>
        <translation>Action: check the configuration (kiosk.toml) and the cable</translation>
    </message>
    <message>
        <source>{name} {amount} 元{unit}</source>
        <translation>{name} CNY {amount}{unit}</translation>
    </message>
    <message>
        <source>不收费</source>
        <translation>No fee</translation>
    </message>
    <message>
        <source>缺纸</source>
        <translation>out of paper</translation>
    </message>
    <message>
        <source>机盖打开</source>
        <translation>cover open</translation>
    </message>
    <message>
        <source>未配置</source>
        <translation>not configured</translation>
    </message>
    <message>
        <source>未连接</source>
        <translation>not connected</translation>
    </message>
    <message>
        <source>故障</source>
        <translation>faulty</translation>
    </message>
    <message>
        <source>已停用</source>
        <translation>out of service</translation>
    </message>
    <message>
        <source>正在启动</source>
        <translation>starting</translation>
    </message>
    <message>
        <source>暂不可用</source>
        <translation>unavailable</translation>
    </message>
    <message>
        <source>{device}{what}，暂不能办理，请联系工作人员</source>
        <translation>{device}: {what}. This service is unavailable for now; please ask the staff.</translation>
    </message>
    <message>
        <source>此项必填</source>
        <translation>Required</translation>
    </message>
    <message>
        <source>日期格式为 年-月-日，例如 2024-03-01</source>
        <translation>Date as year-month-day, e.g. 2024-03-01</translation>
    </message>
    <message>
        <source>请正对摄像头，按提示眨眼或转头</source>
        <translation>Please face the camera, then blink or turn your head as asked</translation>
    </message>
    <message>
        <source>没有通过，请再试一次</source>
        <translation>That did not pass, please try again</translation>
    </message>
    <message>
        <source>请到人工窗口，由工作人员帮您办理</source>
        <translation>Please go to a staffed window; staff will help you</translation>
    </message>
    <message>
        <source>请正对摄像头，把脸放进框里</source>
        <translation>Face the camera and put your face in the frame</translation>
    </message>
    <message>
        <source>请再靠近一点</source>
        <translation>Come a little closer</translation>
    </message>
    <message>
        <source>请稍微往后一点</source>
        <translation>Move back a little</translation>
    </message>
    <message>
        <source>请正对摄像头</source>
        <translation>Look straight at the camera</translation>
    </message>
    <message>
        <source>光线太暗，请正对屏幕</source>
        <translation>Too dark, please face the screen</translation>
    </message>
    <message>
        <source>光线太亮，请稍微侧身避开强光</source>
        <translation>Too bright, move out of the glare</translation>
    </message>
    <message>
        <source>请保持不动</source>
        <translation>Please hold still</translation>
    </message>
    <message>
        <source>请睁开眼睛</source>
        <translation>Please open your eyes</translation>
    </message>
    <message>
        <source>请确保画面里只有您一个人</source>
        <translation>Only one person in the picture, please</translation>
    </message>
    <message>
        <source>很好，请保持不动</source>
        <translation>Good, hold still</translation>
    </message>
    <message>
        <source>请眨一眨眼睛</source>
        <translation>Please blink</translation>
    </message>
    <message>
        <source>扫码缴费</source>
        <translation>Pay by QR code</translation>
    </message>
    <message>
        <source>告知承诺书</source>
        <translation>Letter of promise</translation>
    </message>
    <message>
        <source>补交材料</source>
        <translation>Hand in documents</translation>
    </message>
    <message>
        <source>请慢慢向左转头，再转回来</source>
        <translation>Slowly turn your head to the left, then back</translation>
    </message>
    <message>
        <source>请慢慢向右转头，再转回来</source>
        <translation>Slowly turn your head to the right, then back</translation>
    </message>
    <message>
        <source>正在比对，请稍候</source>
        <translation>Comparing, please wait</translation>
    </message>
    <message>
        <source>人脸核验暂时无法进行。请到人工窗口，由工作人员帮您办理。</source>
        <translation>The face check is not available now. Please go to a staffed window; staff will help you.</translation>
    </message>
    <message>
        <source>人脸核验没有通过。请到人工窗口，由工作人员帮您办理；您的照片不会保存。</source>
        <translation>The face check did not pass. Please go to a staffed window; staff will help you. Your pictures are not kept.</translation>
    </message>
    <message>
        <source>人脸摄像头暂不可用。您可以跳过人脸核验继续办理，或联系工作人员。</source>
        <translation>The face camera is not available. You can skip the face check and go on, or ask staff.</translation>
    </message>
    <message>
        <source>暂时无法比对，请点“再试一次”。</source>
        <translation>The comparison is not available right now. Tap “Try again”.</translation>
    </message>
    <message>
        <source>人脸与身份证不一致。请摘下帽子、口罩和眼镜，正对摄像头。</source>
        <translation>Your face did not match the ID card. Take off hat, mask and glasses and face the camera.</translation>
    </message>
    <message>
        <source>没有看到您按提示眨眼或转头。</source>
        <translation>We did not see you blink or turn your head as asked.</translation>
    </message>
    <message>
        <source>没有看清您的脸，请正对摄像头。</source>
        <translation>We could not see your face clearly. Please face the camera.</translation>
    </message>
    <message>
        <source>人脸核验没有通过。</source>
        <translation>The face check did not pass.</translation>
    </message>
    <message>
        <source>还可以再试 {n} 次。</source>
        <translation> Tries left: {n}.</translation>
    </message>
    <message>
        <source>正在核验您的电子身份码，请稍候</source>
        <translation>Checking your e-ID code, please wait</translation>
    </message>
    <message>
        <source>这个电子身份码已过期。请在手机上刷新后重新扫码，或放身份证。</source>
        <translation>This e-ID code has expired. Refresh it on your phone and scan again, or use your ID card.</translation>
    </message>
    <message>
        <source>这个二维码不是有效的电子身份码。请重新扫码，或放身份证。</source>
        <translation>This is not a valid e-ID code. Scan again, or use your ID card.</translation>
    </message>
    <message>
        <source>暂时无法核验电子身份码。请放身份证，或稍后再扫。</source>
        <translation>The e-ID code cannot be checked right now. Use your ID card, or scan again later.</translation>
    </message>
    <message>
        <source>这是办件回执的二维码，不能用来认证身份。查办件请回首页点“办件查询”；办理业务请放身份证或扫电子身份码。</source>
        <translation>This is a receipt code; it cannot identify you. To look up a case, go back and tap “Check status”; to apply, use your ID card or your e-ID code.</translation>
    </message>
    <message>
        <source>这是预约码，不能用来认证身份。请放身份证，或扫描电子身份码。</source>
        <translation>This is an appointment code; it cannot identify you. Use your ID card, or scan your e-ID code.</translation>
    </message>
    <message>
        <source>这个二维码不能用来认证身份。请把身份证放在感应区，或扫描手机上的电子身份码；都没有请找工作人员帮办。</source>
        <translation>This code cannot identify you. Lay your ID card on the reader, or scan the e-ID code on your phone; if you have neither, ask staff for help.</translation>
    </message>
    <message>
        <source>至少 {n} 个字</source>
        <translation>At least {n} characters</translation>
    </message>
    <message>
        <source>最多 {n} 个字</source>
        <translation>At most {n} characters</translation>
    </message>
    <message>
        <source>不能小于 {n}</source>
        <translation>Must not be less than {n}</translation>
    </message>
    <message>
        <source>不能大于 {n}</source>
        <translation>Must not be more than {n}</translation>
    </message>
    <message>
        <source>必须大于 {n}</source>
        <translation>Must be more than {n}</translation>
    </message>
    <message>
        <source>必须小于 {n}</source>
        <translation>Must be less than {n}</translation>
    </message>
    <message>
        <source>格式不对，请检查</source>
        <translation>Wrong format, please check</translation>
    </message>
    <message>
        <source>请从选项中选择</source>
        <translation>Please choose one of the options</translation>
    </message>
    <message>
        <source>请检查此项</source>
        <translation>Please check this entry</translation>
    </message>
    <message>
        <source>窗口领取</source>
        <translation>Collect at the window</translation>
    </message>
    <message>
        <source>快递送达（免费）</source>
        <translation>Free express delivery</translation>
    </message>
    <message>
        <source>电子证照（手机查看）</source>
        <translation>Electronic licence (view on your phone)</translation>
    </message>
    <message>
        <source>非常满意</source>
        <translation>Very satisfied</translation>
    </message>
    <message>
        <source>满意</source>
        <translation>Satisfied</translation>
    </message>
    <message>
        <source>基本满意</source>
        <translation>Basically satisfied</translation>
    </message>
    <message>
        <source>不满意</source>
        <translation>Dissatisfied</translation>
    </message>
    <message>
        <source>非常不满意</source>
        <translation>Very dissatisfied</translation>
    </message>
    <message>
        <source>办理太慢</source>
        <translation>Too slow</translation>
    </message>
    <message>
        <source>跑了不止一次</source>
        <translation>Had to come more than once</translation>
    </message>
    <message>
        <source>服务态度</source>
        <translation>Staff attitude</translation>
    </message>
    <message>
        <source>指南不清楚</source>
        <translation>Unclear guide</translation>
    </message>
    <message>
        <source>材料太多</source>
        <translation>Too many documents</translation>
    </message>
    <message>
        <source>设备不好用</source>
        <translation>Device hard to use</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>正在处理，请稍候…</source>
        <translation>Working, please wait …</translation>
    </message>
    <message>
        <source>刚刚</source>
        <translation>just now</translation>
    </message>
    <message>
        <source>{n} 分钟前</source>
        <translation>{n} min ago</translation>
    </message>
    <message>
        <source>{n} 小时前</source>
        <translation>{n} h ago</translation>
    </message>
    <message>
        <source>{n} 天前</source>
        <translation>{n} days ago</translation>
    </message>
    <message>
        <source>工作人员（帮办代办）</source>
        <translation>Staff (assist / act for)</translation>
    </message>
    <message>
        <source>运维人员</source>
        <translation>Technician</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>删除一位</source>
        <translation>Delete a digit</translation>
    </message>
    <message>
        <source>正在验证…</source>
        <translation>Checking …</translation>
    </message>
    <message>
        <source>已登录：工作人员。协助或代他人办理的每一步都会记入审计日志。</source>
        <translation>Logged in as staff. Every step of assisting or acting for somebody is recorded in the audit log.</translation>
    </message>
    <message>
        <source>帮办：协助群众办理</source>
        <translation>Assist a citizen</translation>
    </message>
    <message>
        <source>群众本人办理，读不了卡时可手工录入证件</source>
        <translation>The citizen applies; if the card cannot be read, enter it by hand</translation>
    </message>
    <message>
        <source>代办：代他人办理</source>
        <translation>Act on behalf of somebody</translation>
    </message>
    <message>
        <source>先登记代办人，再为申请人办理</source>
        <translation>Record the agent first, then apply for the applicant</translation>
    </message>
    <message>
        <source>离线队列</source>
        <translation>Offline queue</translation>
    </message>
    <message>
        <source>待上传和被退回的申请：重试、作废</source>
        <translation>Applications waiting or refused: retry, void</translation>
    </message>
    <message>
        <source>补打回执</source>
        <translation>Reprint a receipt</translation>
    </message>
    <message>
        <source>最近的收件回执，补打为副本</source>
        <translation>Recent receipts, reprinted as a copy</translation>
    </message>
    <message>
        <source>刷身份证或扫描回执二维码</source>
        <translation>ID card or the receipt QR code</translation>
    </message>
    <message>
        <source>本机已暂停服务：运维人员恢复服务前不能办理。</source>
        <translation>The kiosk is out of service: no applications until a technician puts it back.</translation>
    </message>
    <message>
        <source>设备提示：</source>
        <translation>Devices:</translation>
    </message>
    <message>
        <source>证件类型</source>
        <translation>Document type</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>证件号码</source>
        <translation>Document number</translation>
    </message>
    <message>
        <source>代办人身份</source>
        <translation>Agent</translation>
    </message>
    <message>
        <source>代办人联系电话</source>
        <translation>Agent&apos;s phone</translation>
    </message>
    <message>
        <source>工号</source>
        <translation>Staff number</translation>
    </message>
    <message>
        <source>与申请人关系（如 配偶、子女）</source>
        <translation>Relation to the applicant (e.g. spouse, child)</translation>
    </message>
    <message>
        <source>申请人 {who} · 办件编号 {ref} · {state}</source>
        <translation>Applicant {who} · Case {ref} · {state}</translation>
    </message>
    <message>
        <source>请先核验申请人的证件原件，再录入。录入的身份记为“工作人员核验”。</source>
        <translation>Check the original document first, then type it. The identity is recorded as “verified by staff”.</translation>
    </message>
    <message>
        <source>正在读取…</source>
        <translation>Loading …</translation>
    </message>
    <message>
        <source>请代办人将本人身份证放在感应区，再点“读取代办人身份证”，可自动填写姓名和证件号码；也可手工录入。申请人的身份证在下一步读取。</source>
        <translation>Ask the agent to place their own ID card on the reader and tap “Read the agent&apos;s ID card” to fill in name and number, or type them. The applicant&apos;s card is read in the next step.</translation>
    </message>
    <message>
        <source>请用政务工作App扫描二维码，并在手机上确认登录</source>
        <translation>Scan the QR code with the government work app and confirm on your phone</translation>
    </message>
    <message>
        <source>改用工号和密码登录</source>
        <translation>Use staff number and PIN instead</translation>
    </message>
    <message>
        <source>未输入（演示模式可只用角色密码）</source>
        <translation>not entered (demo mode: the role PIN alone works)</translation>
    </message>
    <message>
        <source>{a}–{b} 位数字</source>
        <translation>{a}–{b} digits</translation>
    </message>
    <message>
        <source>工号：{n}</source>
        <translation>Staff no.: {n}</translation>
    </message>
    <message>
        <source>未输入</source>
        <translation>not entered</translation>
    </message>
    <message>
        <source>密码：{d}</source>
        <translation>PIN: {d}</translation>
    </message>
    <message>
        <source>密码，已输入 {n} 位</source>
        <translation>PIN, {n} digits entered</translation>
    </message>
    <message>
        <source>扫码登录（政务工作App）</source>
        <translation>Log in by QR code (work app)</translation>
    </message>
    <message>
        <source>读取代办人身份证</source>
        <translation>Read the agent&apos;s ID card</translation>
    </message>
    <message>
        <source>待上传 {p} 件，发送中 {s} 件，被退回 {d} 件</source>
        <translation>{p} waiting, {s} sending, {d} refused</translation>
    </message>
    <message>
        <source>立即上传</source>
        <translation>Upload now</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>没有等待上传或被退回的申请。</source>
        <translation>No application is waiting or refused.</translation>
    </message>
    <message>
        <source>最近已送达：</source>
        <translation>Recently delivered:</translation>
    </message>
    <message>
        <source>{matter} · 编号 …{ref}</source>
        <translation>{matter} · no. …{ref}</translation>
    </message>
    <message>
        <source>申请</source>
        <translation>Application</translation>
    </message>
    <message>
        <source>已尝试 {n} 次</source>
        <translation>{n} attempts</translation>
    </message>
    <message>
        <source>原因：{e}</source>
        <translation>Reason: {e}</translation>
    </message>
    <message>
        <source>再点一次确认作废</source>
        <translation>Tap again to void</translation>
    </message>
    <message>
        <source>作废</source>
        <translation>Void</translation>
    </message>
    <message>
        <source>本机没有可补打的回执。</source>
        <translation>No receipt to reprint on this kiosk.</translation>
    </message>
    <message>
        <source>收件待上传</source>
        <translation>Received, pending upload</translation>
    </message>
    <message>
        <source>已收件</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>补打回执（副本）</source>
        <translation>Reprint (copy)</translation>
    </message>
    <message>
        <source>已受理</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>不予受理</source>
        <translation>Not accepted</translation>
    </message>
    <message>
        <source>需补齐补正材料</source>
        <translation>Supplement required</translation>
    </message>
    <message>
        <source>补正已提交</source>
        <translation>Supplement submitted</translation>
    </message>
    <message>
        <source>办理中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>特别程序</source>
        <translation>Special procedure</translation>
    </message>
    <message>
        <source>已办结</source>
        <translation>Finished</translation>
    </message>
    <message>
        <source>已作废</source>
        <translation>Voided</translation>
    </message>
    <message>
        <source>已退件</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>已送达</source>
        <translation>Delivered</translation>
    </message>
    <message>
        <source>即办</source>
        <translation>Immediate</translation>
    </message>
    <message>
        <source>个工作日</source>
        <translation>working day(s)</translation>
    </message>
    <message>
        <source>天</source>
        <translation>day(s)</translation>
    </message>
    <message>
        <source>小时</source>
        <translation>hour(s)</translation>
    </message>
    <message>
        <source>本机状态：暂停服务（群众无法办理）</source>
        <translation>Kiosk: out of service (citizens cannot apply)</translation>
    </message>
    <message>
        <source>本机状态：正常服务</source>
        <translation>Kiosk: in service</translation>
    </message>
    <message>
        <source>恢复服务</source>
        <translation>Put back in service</translation>
    </message>
    <message>
        <source>暂停服务</source>
        <translation>Take out of service</translation>
    </message>
    <message>
        <source>再点一次确认暂停服务</source>
        <translation>Tap again to stop service</translation>
    </message>
    <message>
        <source>导出诊断包</source>
        <translation>Export diagnostics</translation>
    </message>
    <message>
        <source>正在读取设备状态…</source>
        <translation>Reading the devices …</translation>
    </message>
    <message>
        <source>没有配置任何设备。</source>
        <translation>No device is configured.</translation>
    </message>
    <message>
        <source>{cls} “{name}” · 驱动 {driver}</source>
        <translation>{cls} “{name}” · driver {driver}</translation>
    </message>
    <message>
        <source>型号</source>
        <translation>model</translation>
    </message>
    <message>
        <source>序列号</source>
        <translation>serial</translation>
    </message>
    <message>
        <source>固件</source>
        <translation>firmware</translation>
    </message>
    <message>
        <source>驱动信息：{code} {message}</source>
        <translation>Driver says: {code} {message}</translation>
    </message>
    <message>
        <source>正在测试，请按提示操作（扫码器：请在 30 秒内扫描任意二维码）…</source>
        <translation>Testing, follow the prompts (scanner: scan any QR code within 30 s)…</translation>
    </message>
    <message>
        <source>：</source>
        <translation>: </translation>
    </message>
    <message>
        <source>测试</source>
        <translation>Test</translation>
    </message>
    <message>
        <source>启用</source>
        <translation>Enable</translation>
    </message>
    <message>
        <source>停用</source>
        <translation>Disable</translation>
    </message>
    <message>
        <source>再点一次确认停用</source>
        <translation>Tap again to take offline</translation>
    </message>
    <message>
        <source>合计：{amount}</source>
        <translation>Total: {amount}</translation>
    </message>
    <message>
        <source>正在生成缴费二维码…</source>
        <translation>Making the payment QR code…</translation>
    </message>
    <message>
        <source>请用手机扫描二维码缴费（支付宝、微信或银行App均可）</source>
        <translation>Scan the QR code with your phone to pay (Alipay, WeChat or a bank app)</translation>
    </message>
    <message>
        <source>缴费金额：{amount}</source>
        <translation>Amount: {amount}</translation>
    </message>
    <message>
        <source>{amount} 元</source>
        <translation>CNY {amount}</translation>
    </message>
    <message>
        <source>二维码有效时间还剩 {m} 分 {s} 秒</source>
        <translation>The code is valid for {m} min {s} s</translation>
    </message>
    <message>
        <source>付款成功后本机自动提交申请，请不要离开</source>
        <translation>Once paid, the kiosk sends your application by itself; please stay</translation>
    </message>
    <message>
        <source>重新生成缴费码</source>
        <translation>New payment code</translation>
    </message>
    <message>
        <source>也可以先提交申请，领取结果前到窗口缴费。</source>
        <translation>You can also submit now and pay at the window before you collect the result.</translation>
    </message>
    <message>
        <source>到窗口缴费</source>
        <translation>Pay at the window</translation>
    </message>
    <message>
        <source>签名区：请用手指在此签名</source>
        <translation>Signature area: sign here with your finger</translation>
    </message>
    <message>
        <source>确认签名</source>
        <translation>Confirm signature</translation>
    </message>
    <message>
        <source>承诺代替：{name}</source>
        <translation>Promise instead of: {name}</translation>
    </message>
    <message>
        <source>承诺人：{name}  {cert}</source>
        <translation>Promisor: {name}  {cert}</translation>
    </message>
    <message>
        <source>请阅读以上承诺内容，确认无误后在下方白色区域用手指签名。</source>
        <translation>Read the promise above; if it is right, sign with your finger in the white area below.</translation>
    </message>
    <message>
        <source>重签</source>
        <translation>Sign again</translation>
    </message>
    <message>
        <source>还没有签名，请在白色区域签名</source>
        <translation>Not signed yet: please sign in the white area</translation>
    </message>
    <message>
        <source>签名太小或不完整，请点“重签”后重新签名</source>
        <translation>The signature is too small or incomplete: tap “Sign again” and sign once more</translation>
    </message>
</context>
</TS>
