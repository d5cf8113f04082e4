"""The hand-written demo stories: every person, place and figure is made up."""

from articles.models import Article

# The hand-written stories ----------------------------------------------------------
#
# "byline" is written as it is printed; parse_byline() turns it into credits.
# Stories without "status" are published, spread over the last 30 days.

DRAFT = Article.Status.DRAFT
SCHEDULED = Article.Status.SCHEDULED
ARTICLE = Article.Kind.ARTICLE
PHOTO = Article.Kind.PHOTO
GRAPHICS = Article.Kind.GRAPHICS

STORIES = [
    {
        "section": "Thời sự",
        "headline": "Khởi công cầu Vàm Rạch nối hai xã cù lao với đất liền",
        "lead": "Sáng nay, UBND tỉnh khởi công xây dựng cầu Vàm Rạch dài 620 m, tổng vốn đầu tư "
                "hơn 480 tỷ đồng, chấm dứt cảnh đi đò của gần 30.000 người dân hai xã cù lao.",
        "body": [
            "Cầu Vàm Rạch được thiết kế bằng bê tông cốt thép dự ứng lực, rộng 12 m với hai làn "
            "xe cơ giới và lề bộ hành ở hai bên. Cùng với cầu là gần 3 km đường dẫn nối vào tỉnh "
            "lộ, dự kiến hoàn thành sau 30 tháng thi công.",
            "Phát biểu tại lễ khởi công, ông Nguyễn Văn Thành, Phó Chủ tịch UBND tỉnh, cho biết "
            "đây là công trình người dân hai xã An Hòa và Phú Mỹ mong đợi nhiều năm. Ông đề nghị "
            "chủ đầu tư và nhà thầu bảo đảm chất lượng, an toàn lao động, không để công trình "
            "chậm tiến độ.",
            "Hiện nay, mỗi ngày có hàng nghìn lượt người và xe qua lại giữa cù lao và đất liền "
            "bằng phà, đò. Vào mùa mưa bão, nhiều chuyến đò phải tạm ngưng; việc đi học, đi chợ, "
            "đưa người bệnh lên tuyến trên gặp nhiều khó khăn.",
            "Bà Trần Thị Mai, ngụ ấp Phú Thạnh, xã Phú Mỹ, chia sẻ: “Mấy chục năm nay đi đâu cũng "
            "phải chờ đò. Có cầu rồi, trái cây, dừa của bà con chở thẳng ra chợ, giá bán chắc "
            "chắn sẽ khá hơn”.",
        ],
        "tags": ["giao thông", "cầu Vàm Rạch", "cù lao"],
        "byline": "Tin, ảnh: Quốc Bảo",
        "caption": "Lãnh đạo tỉnh và người dân hai xã cù lao dự lễ khởi công cầu Vàm Rạch.",
        "inline": "Bến đò Vàm Rạch, nơi mỗi ngày có hàng nghìn lượt người qua lại.",
    },
    {
        "section": "Thời sự",
        "headline": "HĐND tỉnh họp chuyên đề, thông qua 9 nghị quyết",
        "lead": "Kỳ họp chuyên đề của HĐND tỉnh diễn ra trong một ngày đã xem xét, thông qua 9 "
                "nghị quyết về đầu tư công, giáo dục và hỗ trợ nông dân chuyển đổi cây trồng.",
        "body": [
            "Tại kỳ họp, các đại biểu thống nhất điều chỉnh kế hoạch đầu tư công trung hạn, bổ "
            "sung vốn cho các công trình giao thông nông thôn, nước sạch và trường học ở những "
            "xã còn nhiều khó khăn.",
            "HĐND tỉnh cũng thông qua nghị quyết hỗ trợ học phí cho học sinh trung học phổ thông "
            "ngoài công lập và chính sách hỗ trợ nông dân chuyển đất lúa kém hiệu quả sang trồng "
            "cây ăn trái, nuôi thủy sản.",
            "Nhiều đại biểu đề nghị UBND tỉnh sớm ban hành hướng dẫn để nghị quyết đi vào cuộc "
            "sống, tránh tình trạng chính sách đã có nhưng người dân chậm được thụ hưởng.",
            "Bế mạc kỳ họp, Chủ tịch HĐND tỉnh yêu cầu các cơ quan chuyên môn tăng cường giám "
            "sát việc thực hiện, định kỳ báo cáo kết quả tại kỳ họp thường lệ cuối năm.",
        ],
        "tags": ["HĐND tỉnh", "đầu tư công"],
        "byline": "Bài, ảnh: Hạnh Lê",
        "caption": "Các đại biểu biểu quyết thông qua nghị quyết tại kỳ họp.",
    },
    {
        "section": "Thời sự",
        "headline": "Không khí lạnh tăng cường, Nam Bộ có nơi dưới 20 độ C",
        "lead": "Một đợt không khí lạnh mới đang tăng cường xuống phía Nam, khiến nhiệt độ thấp "
                "nhất ở nhiều nơi thuộc Nam Bộ giảm còn 20-22 độ C, có nơi dưới 20 độ C.",
        "body": [
            "Theo cơ quan khí tượng, trong những ngày tới khu vực Nam Bộ trời nắng ráo, đêm và "
            "sáng sớm se lạnh. Trên biển có gió đông bắc mạnh cấp 6, giật cấp 7-8, biển động.",
            "Tàu thuyền hoạt động trên vùng biển phía Nam cần theo dõi chặt chẽ bản tin dự báo, "
            "chủ động phòng tránh gió mạnh và sóng lớn.",
            "Người dân, nhất là người cao tuổi và trẻ nhỏ, cần giữ ấm cơ thể vào ban đêm và sáng "
            "sớm. Nông dân cần theo dõi thời tiết để điều chỉnh lịch gieo sạ, chăm sóc cây trồng "
            "cho phù hợp.",
        ],
        "tags": ["thời tiết", "không khí lạnh"],
        "byline": "Theo TTXVN",
        "caption": "Người dân ra đường vào buổi sáng se lạnh.",
    },
    {
        "section": "Kinh tế",
        "kind": ARTICLE,
        "kicker": "Kinh tế vườn",
        "headline": "Giá dừa khô tăng cao, nhà vườn phấn khởi",
        "lead": "Giá dừa khô ở mức cao nhất trong nhiều năm giúp nhà vườn có thêm thu nhập, "
                "nhưng người trồng dừa cũng lo bị ép giá khi vào mùa thu hoạch rộ.",
        "body": [
            "Những ngày này, thương lái đến tận vườn mua dừa khô với giá từ 120.000 đến 140.000 "
            "đồng/chục (12 trái), tăng gần gấp đôi so với cùng kỳ năm trước. Dừa xiêm xanh cũng "
            "được giá nhờ nhu cầu tiêu thụ tăng.",
            "Ông Lê Văn Hùng, ngụ xã Thạnh Lợi, có 2 ha dừa, cho biết mỗi đợt thu hoạch cách "
            "nhau khoảng 45 ngày, trừ chi phí gia đình lãi hơn 40 triệu đồng. “Lâu lắm rồi mới "
            "thấy dừa được giá như vầy. Bà con ai cũng ráng chăm vườn, bón phân đầy đủ”, ông "
            "Hùng nói.",
            "Theo các doanh nghiệp chế biến, giá dừa tăng do nguồn cung trong khu vực giảm, trong "
            "khi đơn hàng cơm dừa, nước cốt dừa và than hoạt tính từ gáo dừa đều tăng.",
            "Ngành nông nghiệp khuyến cáo nông dân không chặt bỏ dừa để chuyển đổi ồ ạt, đồng "
            "thời liên kết với hợp tác xã, doanh nghiệp để có đầu ra ổn định, tránh cảnh “được "
            "mùa mất giá” khi thị trường đảo chiều.",
        ],
        "tags": ["dừa", "giá nông sản", "kinh tế vườn"],
        "byline": "Bài, ảnh: Minh Tâm",
        "caption": "Nhà vườn xã Thạnh Lợi thu hoạch dừa khô.",
        "inline": "Dừa khô được gom về sân trước khi giao cho thương lái.",
    },
    {
        "section": "Kinh tế",
        "headline": "Doanh nghiệp dừa ký hợp đồng xuất khẩu sang Trung Đông",
        "lead": "Một doanh nghiệp chế biến dừa trong tỉnh vừa ký hợp đồng xuất khẩu 120 "
                "container nước dừa đóng hộp và cơm dừa sấy sang các nước Trung Đông trong "
                "năm nay.",
        "body": [
            "Theo đại diện Công ty TNHH Chế biến dừa Phú Mỹ, để đáp ứng yêu cầu của đối tác, "
            "doanh nghiệp đã đầu tư dây chuyền tiệt trùng mới và đạt chứng nhận Halal cho các "
            "sản phẩm.",
            "Để có nguồn nguyên liệu ổn định, công ty liên kết với 3 hợp tác xã, bao tiêu khoảng "
            "1.500 ha dừa hữu cơ với giá cao hơn thị trường từ 5 đến 10%.",
            "Sở Công Thương cho biết sẽ tiếp tục hỗ trợ doanh nghiệp tham gia hội chợ, xúc tiến "
            "thương mại, mở rộng thị trường cho các sản phẩm chủ lực của tỉnh.",
        ],
        "tags": ["dừa", "xuất khẩu", "doanh nghiệp"],
        "byline": "Tin: Phạm Ngọc Diệp",
        "caption": "Công nhân đóng gói sản phẩm cơm dừa sấy.",
    },
    {
        "section": "Kinh tế",
        "headline": "Phường Bến Sông khai trương phố đi bộ, chợ đêm ẩm thực",
        "lead": "Tối qua, phố đi bộ và chợ đêm ẩm thực ven sông ở phường Bến Sông chính thức hoạt "
                "động, thu hút đông đảo người dân và du khách.",
        "body": [
            "Phố đi bộ dài gần 500 m, mở cửa từ 17 giờ đến 23 giờ các ngày thứ Sáu, thứ Bảy và "
            "Chủ nhật. Hơn 80 gian hàng bày bán đặc sản địa phương như kẹo dừa, bánh tráng, bánh "
            "xèo, các món cá đồng và trái cây miệt vườn.",
            "Theo UBND phường Bến Sông, các hộ kinh doanh được bố trí gian hàng miễn phí trong 6 "
            "tháng đầu, cam kết niêm yết giá, bảo đảm vệ sinh an toàn thực phẩm và không dùng "
            "túi ni lông khó phân hủy.",
            "Chị Phạm Thị Thu, một tiểu thương bán bánh xèo, cho biết chỉ trong tối đầu tiên, "
            "quầy của chị bán hơn 200 cái bánh. “Có chỗ buôn bán đàng hoàng, sạch sẽ, khách tới "
            "đông nên ai cũng mừng”, chị Thu nói.",
            "Lực lượng công an, dân quân được bố trí bảo đảm an ninh trật tự, hướng dẫn giữ xe, "
            "phân luồng giao thông quanh khu vực.",
        ],
        "tags": ["du lịch", "ẩm thực", "phường Bến Sông"],
        "byline": "Bài: Mỹ Linh - Ảnh: Hữu Đức",
        "caption": "Người dân và du khách tham quan chợ đêm ẩm thực ven sông.",
        "inline": "Các gian hàng đặc sản địa phương tại phố đi bộ.",
    },
    {
        "section": "Kinh tế",
        "kind": GRAPHICS,
        "status": DRAFT,
        "headline": "Xuất khẩu quý I tăng 12%, nông sản chế biến dẫn đầu",
        "lead": "Kim ngạch xuất khẩu của tỉnh trong quý I ước đạt 420 triệu USD, tăng 12% so với "
                "cùng kỳ; sản phẩm từ dừa, thủy sản và trái cây chế biến chiếm hơn một nửa.",
        "body": [
            "Theo số liệu của Sở Công Thương, nhóm hàng nông, thủy sản chế biến đạt gần 230 "
            "triệu USD, trong đó sản phẩm từ dừa khoảng 110 triệu USD, tăng mạnh nhờ giá xuất "
            "khẩu cao.",
            "Nhóm hàng dệt may, da giày và linh kiện điện tử của các doanh nghiệp trong khu công "
            "nghiệp cũng tăng trưởng khá, ước đạt 150 triệu USD.",
            "Thị trường xuất khẩu chính vẫn là Trung Quốc, Hoa Kỳ và các nước EU. Một số doanh "
            "nghiệp đã mở rộng sang Trung Đông, Nam Phi và các nước ASEAN.",
        ],
        "tags": ["xuất khẩu", "kinh tế"],
        "byline": "Bài: Phạm Ngọc Diệp - Đồ họa: Huỳnh Kim Ngân",
        "caption": "Cơ cấu kim ngạch xuất khẩu quý I theo nhóm hàng.",
    },
    {
        "section": "Xã hội",
        "headline": "Bộ Y tế khuyến cáo chủ động phòng sốt xuất huyết mùa mưa",
        "lead": "Trước nguy cơ sốt xuất huyết tăng khi vào mùa mưa, Bộ Y tế khuyến cáo người dân "
                "chủ động diệt lăng quăng, ngủ màn và đến cơ sở y tế ngay khi sốt cao.",
        "body": [
            "Sốt xuất huyết thường tăng mạnh vào mùa mưa, khi muỗi vằn sinh sản nhanh trong các "
            "dụng cụ chứa nước quanh nhà. Bệnh có thể gây biến chứng nặng nếu không được phát "
            "hiện và điều trị kịp thời.",
            "Người dân được khuyến cáo mỗi tuần một lần kiểm tra, đậy kín lu, khạp chứa nước; "
            "thu gom chai lọ, vỏ xe, gáo dừa bỏ đi để muỗi không có nơi đẻ trứng.",
            "Khi sốt cao liên tục, đau đầu, đau cơ hoặc xuất hiện chấm đỏ dưới da, người bệnh cần "
            "đến cơ sở y tế để được khám, không tự ý dùng thuốc hạ sốt có aspirin.",
            "Ngành y tế các địa phương được yêu cầu tăng cường giám sát, xử lý triệt để ổ dịch, "
            "không để dịch lan rộng.",
        ],
        "tags": ["y tế", "sốt xuất huyết"],
        "byline": "Theo TTXVN",
        "caption": "Nhân viên y tế hướng dẫn người dân diệt lăng quăng.",
    },
    {
        "section": "Xã hội",
        "headline": "Bàn giao 50 căn nhà đại đoàn kết cho hộ khó khăn",
        "lead": "Ủy ban MTTQ Việt Nam tỉnh vừa bàn giao 50 căn nhà đại đoàn kết cho các hộ "
                "nghèo, hộ cận nghèo và gia đình chính sách ở 6 xã trong tỉnh.",
        "body": [
            "Mỗi căn nhà rộng từ 40 đến 50 m², được hỗ trợ 60 triệu đồng từ Quỹ Vì người nghèo; "
            "phần còn lại do gia đình, người thân và địa phương cùng góp ngày công, vật liệu.",
            "Bà Nguyễn Thị Lan, 68 tuổi, ngụ xã Long Điền, xúc động khi nhận chìa khóa nhà mới. "
            "“Nhà cũ lợp lá, mưa lớn là dột khắp nơi. Giờ có nhà tường, mái tôn chắc chắn, tôi "
            "yên tâm lắm”, bà Lan nói.",
            "Từ đầu năm đến nay, toàn tỉnh đã xây mới, sửa chữa hơn 400 căn nhà cho hộ khó khăn "
            "về nhà ở, phấn đấu đến cuối năm cơ bản xóa nhà tạm, nhà dột nát.",
        ],
        "tags": ["an sinh xã hội", "nhà đại đoàn kết"],
        "byline": "Tin, ảnh: Thanh Phong",
        "caption": "Đại diện Ủy ban MTTQ tỉnh trao quyết định bàn giao nhà cho người dân.",
    },
    {
        "section": "Xã hội",
        "headline": "Ngày hội “Giọt hồng tri ân” tiếp nhận gần 700 đơn vị máu",
        "lead": "Hơn 800 đoàn viên, thanh niên, công nhân và người dân đã đăng ký tham gia ngày "
                "hội hiến máu tình nguyện “Giọt hồng tri ân” do Tỉnh đoàn phối hợp với bệnh viện "
                "tỉnh tổ chức.",
        "body": [
            "Sau khi khám sàng lọc, ban tổ chức tiếp nhận 692 đơn vị máu. Toàn bộ số máu được "
            "chuyển về ngân hàng máu của Bệnh viện Đa khoa tỉnh để phục vụ cấp cứu và điều trị.",
            "Nhiều người đã hiến máu từ 10 lần trở lên. Anh Võ Thành Nhân, công nhân một công ty "
            "may, cho biết đây là lần hiến máu thứ 15 của anh. “Một chút máu của mình có thể cứu "
            "được người khác, nên còn đủ sức khỏe là tôi còn đi hiến”, anh Nhân chia sẻ.",
            "Theo bệnh viện, nhu cầu máu thường tăng cao vào dịp cuối năm và mùa hè, khi lượng "
            "người hiến giảm. Ngày hội góp phần bổ sung kịp thời nguồn máu dự trữ.",
        ],
        "tags": ["hiến máu", "thanh niên", "y tế"],
        "byline": "Bài: Huỳnh Kim Ngân - Ảnh: Hữu Đức",
        "caption": "Đoàn viên, thanh niên hiến máu tại ngày hội.",
    },
    {
        "section": "Xã hội",
        "kind": ARTICLE,
        "kicker": "Ghi chép",
        "headline": "Nước sạch về cù lao",
        "lead": "Sau nhiều năm dùng nước giếng nhiễm phèn và nước sông phải lắng lọc, hơn 2.000 "
                "hộ dân ở xã cù lao An Hòa đã có nước sạch sinh hoạt đến tận nhà.",
        "body": [
            "Buổi sáng ở ấp An Thới, chị Đoàn Thị Bé vặn vòi nước trong bếp, hứng đầy nồi để nấu "
            "cơm. Chuyện tưởng đơn giản ấy, mới một năm trước vẫn là mơ ước của gia đình chị và "
            "nhiều hộ dân trên cù lao.",
            "“Trước đây mùa khô nước sông mặn, nhà phải mua nước chở bằng ghe, mỗi khối hơn "
            "100.000 đồng. Giờ có nước máy, mỗi tháng nhà tôi trả chừng 80.000 đồng mà xài thoải "
            "mái”, chị Bé kể.",
            "Nhà máy nước An Hòa có công suất 3.000 m³/ngày đêm, được đầu tư từ vốn chương trình "
            "mục tiêu quốc gia và vốn xã hội hóa. Hơn 40 km đường ống đã được kéo đến từng ấp.",
            "Ông Đặng Văn Tư, Trưởng ấp An Thới, cho biết có nước sạch, người dân bớt lo bệnh "
            "tật, học sinh không còn phải nghỉ học vì đau bụng như trước. Nhiều hộ còn mở quán "
            "nước, tiệm ăn nhỏ để kiếm thêm thu nhập.",
            "Theo kế hoạch, đến cuối năm nay, tỷ lệ hộ dân nông thôn trong tỉnh dùng nước sạch "
            "theo quy chuẩn sẽ đạt trên 75%; các xã cù lao và vùng ven biển được ưu tiên đầu tư "
            "trước.",
        ],
        "tags": ["nước sạch", "nông thôn mới", "cù lao"],
        "byline": "Bài, ảnh: Mỹ Linh",
        "caption": "Người dân ấp An Thới dùng nước sạch từ nhà máy nước An Hòa.",
        "inline": "Công nhân lắp đặt đường ống cấp nước về các ấp.",
    },
    {
        "section": "Xã hội",
        "headline": "Cảnh báo triều cường, nhiều tuyến đường ven sông có nguy cơ ngập",
        "lead": "Cơ quan khí tượng thủy văn cảnh báo đợt triều cường sắp tới có thể vượt mức báo "
                "động III ở một số trạm, gây ngập các tuyến đường thấp trũng và vườn cây ăn trái "
                "ngoài đê.",
        "body": [
            "Đỉnh triều được dự báo xuất hiện vào chiều tối các ngày tới. Các khu vực có nguy cơ "
            "ngập gồm vùng trũng ven sông ở phường Bến Sông, xã Thạnh Lợi và các vườn cây ăn "
            "trái chưa có bờ bao.",
            "UBND tỉnh yêu cầu các địa phương kiểm tra, gia cố bờ bao, cống ngăn triều; bố trí "
            "lực lượng ứng trực, sẵn sàng hỗ trợ người dân di dời tài sản khi cần.",
            "Người dân được khuyến cáo hạn chế đi qua các đoạn đường ngập sâu, nước chảy xiết; "
            "chủ động kê cao đồ đạc và chằng chống nhà cửa ở những khu vực thấp trũng.",
        ],
        "tags": ["triều cường", "phòng chống thiên tai"],
        "byline": "Tin: Thanh Phong",
        "caption": "Nước triều tràn vào một tuyến đường ven sông.",
        "updated": 3,
    },
    {
        "section": "Văn hóa - Giải trí",
        "kind": PHOTO,
        "headline": "Rực rỡ sắc màu Lễ hội Dừa",
        "lead": "Lễ hội Dừa năm nay diễn ra trong 4 ngày với nhiều hoạt động: diễu hành xe hoa, "
                "thi chế biến món ăn từ dừa, trưng bày sản phẩm thủ công và đêm nhạc ven sông.",
        "body": [
            "Mở đầu lễ hội là màn diễu hành của hơn 30 xe hoa được trang trí bằng lá dừa, trái "
            "dừa và hoa tươi qua các tuyến đường trung tâm.",
            "Tại khu trưng bày, hàng trăm sản phẩm từ dừa như kẹo dừa, dầu dừa, túi xách, chén "
            "bát bằng gáo dừa thu hút đông đảo khách tham quan.",
            "Hội thi chế biến món ăn từ dừa quy tụ 20 đội đến từ các xã, phường, với những món "
            "quen thuộc như cá kho nước dừa, gà nướng dừa, chè dừa dầm.",
            "Ban tổ chức ước tính lễ hội đón hơn 100.000 lượt khách, trong đó có nhiều du khách "
            "nước ngoài.",
        ],
        "tags": ["Lễ hội Dừa", "du lịch", "văn hóa"],
        "byline": "Ảnh: Hữu Đức",
        "caption": "Xe hoa trang trí bằng lá dừa diễu hành qua trung tâm.",
        "inline": "Du khách tham quan gian hàng sản phẩm thủ công từ dừa.",
    },
    {
        "section": "Văn hóa - Giải trí",
        "headline": "Ra mắt câu lạc bộ đờn ca tài tử thiếu nhi",
        "lead": "Câu lạc bộ đờn ca tài tử thiếu nhi đầu tiên của xã Mỹ Xuân vừa ra mắt với 25 "
                "thành viên từ 8 đến 15 tuổi.",
        "body": [
            "Các em được nghệ nhân trong xã dạy miễn phí vào chiều thứ Bảy hằng tuần tại nhà văn "
            "hóa xã, từ những bài bản cơ bản đến cách đờn kìm, đờn tranh, đờn ghi-ta phím lõm.",
            "Nghệ nhân Huỳnh Văn Sang, 72 tuổi, mong muốn truyền lại cho lớp trẻ loại hình nghệ "
            "thuật đã được UNESCO ghi danh là di sản văn hóa phi vật thể đại diện của nhân loại.",
            "Tại buổi ra mắt, các thành viên nhỏ tuổi đã biểu diễn nhiều bài ca cổ quen thuộc, "
            "nhận được sự cổ vũ nhiệt tình của phụ huynh và người dân.",
        ],
        "tags": ["đờn ca tài tử", "văn hóa"],
        "byline": "Tin, ảnh: Minh Tâm",
        "caption": "Các thành viên câu lạc bộ biểu diễn trong buổi ra mắt.",
    },
    {
        "section": "Văn hóa - Giải trí",
        "headline": "Khai mạc triển lãm ảnh “Sắc màu miệt vườn”",
        "lead": "Triển lãm giới thiệu 120 tác phẩm của các nhiếp ảnh gia chuyên nghiệp và nghiệp "
                "dư về cảnh quan, con người và đời sống miệt vườn của tỉnh.",
        "body": [
            "Các tác phẩm được chọn từ gần 900 ảnh dự thi, ghi lại những khoảnh khắc quen thuộc "
            "như chợ nổi lúc bình minh, mùa thu hoạch dừa, lò kẹo dừa, những chiếc cầu khỉ bắc "
            "qua kênh rạch.",
            "Giải nhất thuộc về bộ ảnh “Mùa nước nổi” của tác giả Trần Minh Khoa, ghi lại cảnh "
            "nông dân đánh bắt cá đồng trên cánh đồng ngập nước.",
            "Triển lãm mở cửa miễn phí đến hết tháng tại Bảo tàng tỉnh, sau đó được đưa về trưng "
            "bày lưu động tại các xã.",
        ],
        "tags": ["triển lãm", "nhiếp ảnh", "văn hóa"],
        "byline": "Tin: Đ.V.L - Ảnh: Hữu Đức",
        "caption": "Khách tham quan triển lãm ảnh tại Bảo tàng tỉnh.",
    },
    {
        "section": "Văn hóa - Giải trí",
        "kind": ARTICLE,
        "status": DRAFT,
        "headline": "Giữ nghề đan đát bên sông",
        "lead": "Giữa lúc đồ nhựa tràn ngập thị trường, nhiều gia đình ở xã Phú Mỹ vẫn giữ nghề "
                "đan đát truyền thống, đưa sản phẩm từ tre, lục bình và lá dừa ra thị trường mới.",
        "body": [
            "Trong căn nhà nhỏ bên sông, bà Võ Thị Hoa thoăn thoắt đan những chiếc giỏ lục bình. "
            "Bà theo nghề từ năm 15 tuổi, đến nay đã gần 50 năm.",
            "“Hồi trước đan rổ, đan nia để bán ngoài chợ. Giờ người ta đặt giỏ, hộp, thảm lục "
            "bình để xuất khẩu, mỗi ngày tôi kiếm được 150.000 đến 200.000 đồng”, bà Hoa cho biết.",
            "Tổ hợp tác đan đát Phú Mỹ hiện có hơn 60 thành viên, chủ yếu là phụ nữ lớn tuổi. "
            "Sản phẩm được một doanh nghiệp thu mua, xuất khẩu sang Nhật Bản và châu Âu.",
            "UBND xã đang hỗ trợ tổ hợp tác xây dựng nhãn hiệu, tham gia chương trình mỗi xã một "
            "sản phẩm (OCOP) và đón khách du lịch đến tham quan, trải nghiệm nghề.",
        ],
        "tags": ["làng nghề", "OCOP"],
        "byline": "Bài, ảnh: Hạnh Lê",
        "caption": "Bà Võ Thị Hoa đan giỏ lục bình tại nhà.",
    },
    {
        "section": "Thể thao",
        "headline": "Sôi nổi giải đua xuồng ba lá trên sông Vàm Rạch",
        "lead": "24 đội đua đến từ các xã, phường trong tỉnh đã tranh tài tại giải đua xuồng ba "
                "lá truyền thống, thu hút hàng nghìn người dân đến cổ vũ.",
        "body": [
            "Các đội thi đấu ở hai nội dung nam và nữ trên cự ly 1.000 m. Tiếng trống, tiếng reo "
            "hò vang khắp hai bờ sông suốt buổi sáng.",
            "Sau nhiều lượt đua hấp dẫn, đội xã Thạnh Lợi giành giải nhất nội dung nam; đội "
            "phường Bến Sông giành giải nhất nội dung nữ.",
            "Giải đua xuồng ba lá được tổ chức hằng năm nhằm giữ gìn môn thể thao dân gian gắn "
            "với đời sống sông nước, đồng thời góp phần thu hút khách du lịch.",
        ],
        "tags": ["thể thao dân gian", "đua xuồng"],
        "byline": "Tin, ảnh: Thanh Phong",
        "caption": "Các đội tranh tài ở nội dung nữ.",
    },
    {
        "section": "Thể thao",
        "headline": "Đội U15 của tỉnh giành vé dự vòng chung kết quốc gia",
        "lead": "Với hai trận thắng và một trận hòa, đội bóng đá U15 của tỉnh đứng đầu bảng ở "
                "vòng loại và giành quyền vào vòng chung kết giải bóng đá U15 quốc gia.",
        "body": [
            "Trong trận đấu cuối, các cầu thủ trẻ của tỉnh hòa đội bạn với tỷ số 1-1, qua đó giữ "
            "vững ngôi đầu bảng với 7 điểm.",
            "Huấn luyện viên Phan Văn Kiệt cho biết đa số cầu thủ được phát hiện qua các giải "
            "bóng đá học sinh. “Các em thi đấu có tinh thần, chấp hành tốt đấu pháp. Ban huấn "
            "luyện sẽ tiếp tục rèn thể lực và chiến thuật cho vòng chung kết”, ông Kiệt nói.",
            "Vòng chung kết dự kiến diễn ra vào tháng tới với 12 đội mạnh nhất cả nước.",
        ],
        "tags": ["bóng đá", "bóng đá trẻ"],
        "byline": "Tin: Đ.V.L",
        "caption": "Các cầu thủ U15 của tỉnh ăn mừng bàn thắng.",
    },
    {
        "section": "Thể thao",
        "headline": "Hơn 3.000 người tham gia giải việt dã “Vì sức khỏe cộng đồng”",
        "lead": "Giải việt dã do Sở Văn hóa, Thể thao và Du lịch tổ chức thu hút hơn 3.000 vận "
                "động viên, học sinh, cán bộ và người dân tham gia.",
        "body": [
            "Các vận động viên thi đấu ở cự ly 5 km và 10 km trên các tuyến đường ven sông, "
            "trong không khí sôi nổi, vui tươi.",
            "Ngoài vận động viên chuyên nghiệp, giải còn có nhiều người cao tuổi, gia đình có trẻ "
            "nhỏ tham gia ở cự ly đi bộ 3 km.",
            "Ban tổ chức đã trao giải cho các cá nhân và tập thể có thành tích cao. Toàn bộ tiền "
            "đăng ký được dùng để mua xe đạp tặng học sinh có hoàn cảnh khó khăn.",
        ],
        "tags": ["việt dã", "thể thao phong trào"],
        "byline": "Bài: Đ.V.L, Huỳnh Kim Ngân",
        "caption": "Vận động viên xuất phát ở cự ly 10 km.",
    },
    {
        "section": "An ninh - Trật tự",
        "headline": "Tai nạn giao thông giảm cả ba tiêu chí",
        "lead": "Trong quý vừa qua, toàn tỉnh xảy ra 38 vụ tai nạn giao thông, làm chết 21 người, "
                "bị thương 29 người; so với cùng kỳ năm trước giảm cả số vụ, số người chết và số "
                "người bị thương.",
        "body": [
            "Theo Ban An toàn giao thông tỉnh, nguyên nhân chủ yếu vẫn là người điều khiển "
            "phương tiện chạy quá tốc độ, lấn làn, không chú ý quan sát và sử dụng rượu bia khi "
            "lái xe.",
            "Lực lượng cảnh sát giao thông đã tăng cường tuần tra, kiểm soát vào buổi tối và các "
            "ngày cuối tuần, tập trung xử lý vi phạm nồng độ cồn, tốc độ và không đội mũ bảo "
            "hiểm.",
            "Thời gian tới, tỉnh sẽ rà soát, xử lý các điểm đen, điểm tiềm ẩn nguy cơ tai nạn; "
            "lắp thêm biển báo, đèn tín hiệu tại các giao lộ trên quốc lộ và tỉnh lộ.",
        ],
        "tags": ["an toàn giao thông", "tai nạn giao thông"],
        "byline": "Tin: Quốc Bảo",
        "caption": "Cảnh sát giao thông kiểm tra nồng độ cồn người điều khiển xe.",
    },
    {
        "section": "An ninh - Trật tự",
        "headline": "Triệt phá đường dây cá độ bóng đá qua mạng hơn 50 tỷ đồng",
        "lead": "Công an tỉnh vừa triệt phá một đường dây tổ chức đánh bạc dưới hình thức cá độ "
                "bóng đá qua mạng, với số tiền giao dịch hơn 50 tỷ đồng.",
        "body": [
            "Qua công tác nắm tình hình, cơ quan công an phát hiện một nhóm đối tượng sử dụng "
            "các trang cá độ có máy chủ đặt ở nước ngoài, cấp tài khoản cho người chơi trong và "
            "ngoài tỉnh.",
            "Bước đầu, các đối tượng khai nhận đã tổ chức cá độ trong gần một năm. Cơ quan công "
            "an đã tạm giữ nhiều điện thoại, máy tính và phong tỏa các tài khoản ngân hàng liên "
            "quan.",
            "Vụ án đang được tiếp tục điều tra, mở rộng. Công an tỉnh khuyến cáo người dân không "
            "tham gia cá độ dưới bất kỳ hình thức nào, kịp thời tố giác hành vi vi phạm pháp luật.",
        ],
        "tags": ["cá độ bóng đá", "tội phạm công nghệ cao"],
        "byline": "Tin: Thanh Phong",
        "caption": "Tang vật thu giữ trong vụ án.",
    },
    {
        "section": "An ninh - Trật tự",
        "kind": ARTICLE,
        "headline": "Cảnh giác chiêu lừa giả danh nhân viên điện lực",
        "lead": "Thời gian gần đây, nhiều người dân trong tỉnh nhận được cuộc gọi của đối tượng "
                "tự xưng nhân viên điện lực, yêu cầu thanh toán tiền điện qua đường dẫn lạ và bị "
                "chiếm đoạt tiền trong tài khoản.",
        "body": [
            "Bà N.T.H., ngụ phường An Lạc, kể bà nhận được cuộc gọi báo nhà bà nợ tiền điện, nếu "
            "không thanh toán ngay sẽ bị cắt điện trong ngày. Làm theo hướng dẫn, bà bấm vào "
            "đường dẫn trong tin nhắn, cài một ứng dụng và chỉ ít phút sau, hơn 80 triệu đồng "
            "trong tài khoản bị chuyển đi.",
            "Theo Công an tỉnh, các đối tượng thường tạo tâm lý lo sợ, thúc giục nạn nhân làm "
            "theo hướng dẫn trong thời gian ngắn. Ứng dụng giả mạo cho phép chúng chiếm quyền "
            "điều khiển điện thoại và đọc được mã xác thực giao dịch.",
            "Ngành điện khẳng định không gọi điện yêu cầu khách hàng cài ứng dụng hay thanh toán "
            "qua đường dẫn lạ. Mọi thông báo tiền điện đều được gửi qua ứng dụng, tổng đài và "
            "trang web chính thức.",
            "Khi nhận được các cuộc gọi tương tự, người dân cần bình tĩnh, gọi lại tổng đài chính "
            "thức để kiểm tra; tuyệt đối không cung cấp mã OTP, không cài ứng dụng theo hướng "
            "dẫn của người lạ và báo ngay cho cơ quan công an.",
        ],
        "tags": ["lừa đảo qua mạng", "cảnh giác"],
        "byline": "Bài: Quốc Bảo, Minh Tâm",
        "caption": "Một tin nhắn giả mạo được gửi đến người dân.",
    },
    {
        "section": "An ninh - Trật tự",
        "headline": "Tuyên truyền an toàn giao thông cho hơn 2.000 học sinh",
        "lead": "Phòng Cảnh sát giao thông Công an tỉnh phối hợp với Sở Giáo dục và Đào tạo tổ "
                "chức tuyên truyền pháp luật về trật tự, an toàn giao thông cho học sinh các "
                "trường trung học.",
        "body": [
            "Học sinh được phổ biến quy định về độ tuổi được phép điều khiển xe máy, xe máy điện, "
            "cách đội mũ bảo hiểm đúng và kỹ năng xử lý tình huống khi tham gia giao thông.",
            "Nhiều em đã tham gia trả lời câu hỏi, thực hành đội mũ bảo hiểm và nhận quà của ban "
            "tổ chức.",
            "Theo Phòng Cảnh sát giao thông, tình trạng học sinh chưa đủ tuổi điều khiển xe máy, "
            "chở ba, không đội mũ bảo hiểm vẫn còn. Nhà trường và phụ huynh cần phối hợp quản "
            "lý, không giao xe cho các em khi chưa đủ điều kiện.",
        ],
        "tags": ["an toàn giao thông", "học sinh"],
        "byline": "Tin, ảnh: Quốc Bảo",
        "caption": "Học sinh thực hành đội mũ bảo hiểm đúng cách.",
    },
    {
        "section": "Nông nghiệp",
        "kind": ARTICLE,
        "headline": "Trồng ca cao dưới tán dừa, nông dân có thêm nguồn thu",
        "lead": "Tận dụng khoảng trống dưới tán vườn dừa, nhiều nông dân xã Thạnh Lợi trồng xen "
                "ca cao, mỗi năm có thêm 30 đến 50 triệu đồng mỗi ha.",
        "body": [
            "Vườn dừa 1,5 ha của ông Nguyễn Văn Tám trồng xen gần 1.000 cây ca cao. Ca cao ưa "
            "bóng râm, phát triển tốt dưới tán dừa, lại giúp giữ ẩm cho đất.",
            "“Dừa thì 45 ngày hái một lần, ca cao thì gần như quanh năm có trái. Tiền bán ca cao "
            "đủ trang trải chi tiêu trong nhà, tiền dừa để dành”, ông Tám chia sẻ.",
            "Hợp tác xã nông nghiệp Thạnh Lợi hiện có 45 thành viên trồng ca cao xen dừa trên "
            "gần 60 ha. Hợp tác xã ký hợp đồng bao tiêu hạt ca cao lên men cho một công ty sản "
            "xuất sô-cô-la.",
            "Theo Sở Nông nghiệp và Môi trường, trồng xen giúp sử dụng đất hiệu quả hơn và hạn "
            "chế rủi ro khi giá một loại nông sản giảm. Ngành nông nghiệp sẽ hỗ trợ kỹ thuật, "
            "giống để nhân rộng mô hình.",
        ],
        "tags": ["ca cao", "dừa", "mô hình hay"],
        "byline": "Bài, ảnh: Minh Tâm",
        "caption": "Ông Nguyễn Văn Tám chăm sóc vườn ca cao trồng xen dừa.",
        "inline": "Trái ca cao chín được thu hoạch để lên men.",
    },
    {
        "section": "Nông nghiệp",
        "headline": "Thêm 12 mã số vùng trồng sầu riêng được cấp để xuất khẩu",
        "lead": "Tỉnh vừa được cấp thêm 12 mã số vùng trồng sầu riêng phục vụ xuất khẩu chính "
                "ngạch, nâng tổng số lên 68 mã với diện tích hơn 3.400 ha.",
        "body": [
            "Để được cấp mã số, các vùng trồng phải ghi chép nhật ký canh tác, sử dụng thuốc bảo "
            "vệ thực vật đúng quy định và bảo đảm truy xuất được nguồn gốc.",
            "Sở Nông nghiệp và Môi trường cho biết sẽ tăng cường kiểm tra các mã số đã cấp, kiên "
            "quyết thu hồi những mã vi phạm, không để ảnh hưởng đến uy tín nông sản của tỉnh.",
            "Nông dân được khuyến cáo không sử dụng chất cấm, không cho người ngoài mượn mã số "
            "vùng trồng và liên kết với doanh nghiệp xuất khẩu có uy tín.",
        ],
        "tags": ["sầu riêng", "mã số vùng trồng", "xuất khẩu"],
        "byline": "Tin: Phạm Ngọc Diệp",
        "caption": "Nông dân thu hoạch sầu riêng đạt chuẩn xuất khẩu.",
    },
    {
        "section": "Nông nghiệp",
        "headline": "Chủ động trữ nước ngọt ứng phó xâm nhập mặn",
        "lead": "Mùa khô năm nay, mặn được dự báo vào sâu 50-60 km trên các sông chính; ngành "
                "nông nghiệp khuyến cáo nông dân chủ động trữ nước ngọt, đo độ mặn trước khi lấy "
                "nước tưới.",
        "body": [
            "Theo Sở Nông nghiệp và Môi trường, đỉnh mặn có thể xuất hiện sớm hơn trung bình "
            "nhiều năm. Các vùng cây ăn trái, rau màu ở hạ nguồn có nguy cơ bị ảnh hưởng nặng.",
            "Toàn tỉnh đã vận hành các cống ngăn mặn, nạo vét kênh mương, đắp đập tạm để giữ "
            "nước ngọt. Nông dân được hướng dẫn trữ nước trong ao, mương vườn và túi chứa nước "
            "chuyên dụng.",
            "Độ mặn tại các trạm đo được cập nhật hằng ngày trên trang thông tin của ngành nông "
            "nghiệp và qua nhóm Zalo của các xã để người dân tiện theo dõi.",
        ],
        "tags": ["xâm nhập mặn", "phòng chống thiên tai", "nông nghiệp"],
        "byline": "Tin: Huỳnh Kim Ngân",
        "caption": "Người dân đo độ mặn trước khi bơm nước vào vườn.",
    },
    {
        "section": "Nông nghiệp",
        "kind": PHOTO,
        "headline": "Nuôi tôm càng xanh trên ruộng lúa",
        "lead": "Mô hình luân canh lúa - tôm càng xanh giúp nhiều nông dân xã Long Điền tăng thu "
                "nhập gấp hai, ba lần so với chỉ trồng lúa.",
        "body": [
            "Sau vụ lúa, nông dân cải tạo ruộng, thả tôm càng xanh giống với mật độ vừa phải. "
            "Rơm rạ và phù du trên ruộng là nguồn thức ăn tự nhiên cho tôm.",
            "Sau 5-6 tháng nuôi, tôm đạt cỡ 20-30 con/kg, bán với giá từ 180.000 đến 250.000 "
            "đồng/kg tùy loại.",
            "Nông dân hạn chế dùng thuốc bảo vệ thực vật nên hạt lúa sạch hơn, bán được giá cao "
            "hơn.",
        ],
        "tags": ["tôm càng xanh", "mô hình hay", "nông nghiệp"],
        "byline": "Bài: Mỹ Linh - Ảnh: Hữu Đức",
        "caption": "Nông dân thu hoạch tôm càng xanh trên ruộng lúa.",
        "inline": "Tôm càng xanh được phân loại trước khi bán cho thương lái.",
    },
    {
        "section": "Giáo dục",
        "headline": "Toàn tỉnh bố trí 28 điểm thi tốt nghiệp THPT",
        "lead": "Kỳ thi tốt nghiệp trung học phổ thông năm nay, toàn tỉnh có hơn 13.000 thí sinh "
                "đăng ký dự thi tại 28 điểm thi.",
        "body": [
            "Sở Giáo dục và Đào tạo cho biết các điểm thi đều đã được kiểm tra cơ sở vật chất, "
            "lắp camera giám sát phòng thi và khu vực bảo quản đề thi, bài thi.",
            "Hơn 2.500 cán bộ, giáo viên được huy động làm nhiệm vụ coi thi, thanh tra, bảo đảm "
            "an ninh. Ngành y tế, điện lực, công an được giao phối hợp phục vụ kỳ thi.",
            "Với thí sinh ở các xã cù lao, xa điểm thi, nhiều đoàn thể và nhà hảo tâm đã chuẩn "
            "bị chỗ ở, suất ăn miễn phí trong những ngày thi.",
        ],
        "tags": ["thi tốt nghiệp THPT", "giáo dục"],
        "byline": "Tin: Hạnh Lê",
        "caption": "Học sinh ôn tập chuẩn bị cho kỳ thi tốt nghiệp.",
    },
    {
        "section": "Giáo dục",
        "status": DRAFT,
        "headline": "Học sinh trồng 2.000 cây xanh quanh trường",
        "lead": "Hưởng ứng phong trào “Trường học xanh - sạch - đẹp”, học sinh các trường ở xã An "
                "Hòa đã trồng hơn 2.000 cây xanh trong khuôn viên trường và dọc các tuyến đường.",
        "body": [
            "Mỗi lớp nhận chăm sóc một khu vực, có bảng tên ghi rõ loài cây và lớp phụ trách. "
            "Nhiều cây được trồng từ hạt giống do chính học sinh ươm.",
            "Cô Trần Ngọc Hân, Hiệu trưởng Trường THCS An Hòa, cho biết phong trào giúp học sinh "
            "hiểu hơn về bảo vệ môi trường, đồng thời tạo thêm bóng mát cho sân trường trong mùa "
            "nắng nóng.",
            "Đến cuối năm học, các trường sẽ trồng thêm 3.000 cây, ưu tiên các loài cây bản địa "
            "như sao, dầu, bằng lăng.",
        ],
        "tags": ["môi trường", "học sinh"],
        "byline": "Tin, ảnh: Đ.V.L",
        "caption": "Học sinh Trường THCS An Hòa trồng cây trong khuôn viên trường.",
    },
    {
        "section": "Giáo dục",
        "status": SCHEDULED,
        "headline": "Trao 300 suất học bổng “Tiếp bước đến trường”",
        "lead": "Quỹ Khuyến học tỉnh phối hợp với các doanh nghiệp trao 300 suất học bổng, mỗi "
                "suất 2 triệu đồng, cho học sinh, sinh viên có hoàn cảnh khó khăn, học tốt.",
        "body": [
            "Các em nhận học bổng đều có kết quả học tập khá, giỏi, nhiều em là con của gia đình "
            "nghèo. Ngoài tiền mặt, các em còn được tặng sách vở, xe đạp.",
            "Em Nguyễn Ngọc Bảo Trân, học sinh lớp 11 Trường THPT Bến Sông, cho biết học bổng sẽ "
            "giúp em có thêm điều kiện mua tài liệu ôn thi đại học.",
            "Từ khi thành lập đến nay, Quỹ Khuyến học tỉnh đã trao hơn 15.000 suất học bổng với "
            "tổng trị giá trên 30 tỷ đồng.",
        ],
        "tags": ["khuyến học", "học bổng", "giáo dục"],
        "byline": "Tin: Hạnh Lê - Ảnh: Hữu Đức",
        "caption": "Học sinh nhận học bổng “Tiếp bước đến trường”.",
    },
]
