"""Value domains of ``thelook_ecommerce``, kept as data so the generator stays small.

Spellings follow the public dataset (``Brasil``, ``United States``) so questions
written against BigQuery filter the offline sample the same way. Weights are rough
shares, not exact statistics; the generator normalises them.
"""

from __future__ import annotations

from typing import NamedTuple


class City(NamedTuple):
    """A real city with its state/province, centre and a postal-code template.

    In ``postal`` a ``#`` becomes a random digit and a ``@`` a random capital letter.
    """

    name: str
    state: str
    latitude: float
    longitude: float
    postal: str
    weight: float


class Country(NamedTuple):
    """A country as spelt in the public dataset, its share of users and its cities."""

    name: str
    weight: float
    cities: tuple[City, ...]


class DistributionCenter(NamedTuple):
    """One of the ten US distribution centres of the public dataset."""

    id: int
    name: str
    latitude: float
    longitude: float


DISTRIBUTION_CENTERS: tuple[DistributionCenter, ...] = (
    DistributionCenter(1, "Memphis TN", 35.1174, -89.9711),
    DistributionCenter(2, "Chicago IL", 41.8369, -87.6847),
    DistributionCenter(3, "Houston TX", 29.7604, -95.3698),
    DistributionCenter(4, "Los Angeles CA", 34.05, -118.25),
    DistributionCenter(5, "New Orleans LA", 29.95, -90.0667),
    DistributionCenter(6, "Port Authority of New York/New Jersey NY/NJ", 40.634, -73.7834),
    DistributionCenter(7, "Philadelphia PA", 39.95, -75.1667),
    DistributionCenter(8, "Mobile AL", 30.6944, -88.0431),
    DistributionCenter(9, "Charleston SC", 32.7833, -79.9333),
    DistributionCenter(10, "Savannah GA", 32.0167, -81.1167),
)

_C = City

COUNTRIES: tuple[Country, ...] = (
    Country(
        "China",
        34.0,
        (
            _C("Guangzhou", "Guangdong", 23.1291, 113.2644, "5100##", 5),
            _C("Shenzhen", "Guangdong", 22.5431, 114.0579, "5180##", 5),
            _C("Dongguan", "Guangdong", 23.0207, 113.7518, "5230##", 3),
            _C("Foshan", "Guangdong", 23.0215, 113.1214, "5280##", 2),
            _C("Beijing", "Beijing", 39.9042, 116.4074, "1000##", 7),
            _C("Shanghai", "Shanghai", 31.2304, 121.4737, "2000##", 8),
            _C("Hangzhou", "Zhejiang", 30.2741, 120.1551, "3100##", 3),
            _C("Ningbo", "Zhejiang", 29.8683, 121.5440, "3150##", 2),
            _C("Wenzhou", "Zhejiang", 27.9943, 120.6994, "3250##", 2),
            _C("Nanjing", "Jiangsu", 32.0603, 118.7969, "2100##", 3),
            _C("Suzhou", "Jiangsu", 31.2989, 120.5853, "2150##", 3),
            _C("Wuxi", "Jiangsu", 31.4912, 120.3119, "2140##", 2),
            _C("Chengdu", "Sichuan", 30.5728, 104.0668, "6100##", 5),
            _C("Wuhan", "Hubei", 30.5928, 114.3055, "4300##", 4),
            _C("Jinan", "Shandong", 36.6512, 117.1201, "2500##", 2),
            _C("Qingdao", "Shandong", 36.0671, 120.3826, "2660##", 2),
            _C("Zhengzhou", "Henan", 34.7466, 113.6254, "4500##", 3),
            _C("Chongqing", "Chongqing", 29.4316, 106.9123, "4000##", 4),
            _C("Tianjin", "Tianjin", 39.3434, 117.3616, "3000##", 3),
            _C("Fuzhou", "Fujian", 26.0745, 119.2965, "3500##", 2),
            _C("Xiamen", "Fujian", 24.4798, 118.0894, "3610##", 2),
            _C("Changsha", "Hunan", 28.2282, 112.9388, "4100##", 2),
            _C("Xi'an", "Shaanxi", 34.3416, 108.9398, "7100##", 3),
            _C("Shenyang", "Liaoning", 41.8057, 123.4315, "1100##", 2),
            _C("Dalian", "Liaoning", 38.9140, 121.6147, "1160##", 2),
            _C("Harbin", "Heilongjiang", 45.8038, 126.5349, "1500##", 2),
            _C("Kunming", "Yunnan", 24.8801, 102.8329, "6500##", 2),
            _C("Hefei", "Anhui", 31.8206, 117.2272, "2300##", 2),
            _C("Nanning", "Guangxi", 22.8170, 108.3665, "5300##", 2),
        ),
    ),
    Country(
        "United States",
        22.5,
        (
            _C("Los Angeles", "California", 34.0522, -118.2437, "900##", 6),
            _C("San Francisco", "California", 37.7749, -122.4194, "941##", 3),
            _C("San Diego", "California", 32.7157, -117.1611, "921##", 3),
            _C("San Jose", "California", 37.3382, -121.8863, "951##", 2),
            _C("Sacramento", "California", 38.5816, -121.4944, "958##", 2),
            _C("Houston", "Texas", 29.7604, -95.3698, "770##", 4),
            _C("Dallas", "Texas", 32.7767, -96.7970, "752##", 3),
            _C("Austin", "Texas", 30.2672, -97.7431, "787##", 2),
            _C("San Antonio", "Texas", 29.4241, -98.4936, "782##", 2),
            _C("New York", "New York", 40.7128, -74.0060, "100##", 7),
            _C("Buffalo", "New York", 42.8864, -78.8784, "142##", 1),
            _C("Rochester", "New York", 43.1566, -77.6088, "146##", 1),
            _C("Miami", "Florida", 25.7617, -80.1918, "331##", 3),
            _C("Orlando", "Florida", 28.5383, -81.3792, "328##", 2),
            _C("Tampa", "Florida", 27.9506, -82.4572, "336##", 2),
            _C("Jacksonville", "Florida", 30.3322, -81.6557, "322##", 2),
            _C("Chicago", "Illinois", 41.8781, -87.6298, "606##", 4),
            _C("Springfield", "Illinois", 39.7817, -89.6501, "627##", 1),
            _C("Philadelphia", "Pennsylvania", 39.9526, -75.1652, "191##", 3),
            _C("Pittsburgh", "Pennsylvania", 40.4406, -79.9959, "152##", 2),
            _C("Columbus", "Ohio", 39.9612, -82.9988, "432##", 2),
            _C("Cleveland", "Ohio", 41.4993, -81.6944, "441##", 2),
            _C("Atlanta", "Georgia", 33.7490, -84.3880, "303##", 3),
            _C("Savannah", "Georgia", 32.0809, -81.0912, "314##", 1),
            _C("Seattle", "Washington", 47.6062, -122.3321, "981##", 3),
            _C("Spokane", "Washington", 47.6588, -117.4260, "992##", 1),
            _C("Boston", "Massachusetts", 42.3601, -71.0589, "021##", 3),
            _C("Detroit", "Michigan", 42.3314, -83.0458, "482##", 2),
            _C("Grand Rapids", "Michigan", 42.9634, -85.6681, "495##", 1),
            _C("Phoenix", "Arizona", 33.4484, -112.0740, "850##", 3),
            _C("Tucson", "Arizona", 32.2226, -110.9747, "857##", 1),
            _C("Denver", "Colorado", 39.7392, -104.9903, "802##", 2),
            _C("Charlotte", "North Carolina", 35.2271, -80.8431, "282##", 2),
            _C("Raleigh", "North Carolina", 35.7796, -78.6382, "276##", 1),
            _C("Nashville", "Tennessee", 36.1627, -86.7816, "372##", 2),
            _C("Memphis", "Tennessee", 35.1495, -90.0490, "381##", 1),
            _C("Portland", "Oregon", 45.5152, -122.6784, "972##", 2),
            _C("Minneapolis", "Minnesota", 44.9778, -93.2650, "554##", 2),
            _C("Kansas City", "Missouri", 39.0997, -94.5786, "641##", 1),
            _C("St. Louis", "Missouri", 38.6270, -90.1994, "631##", 1),
            _C("Las Vegas", "Nevada", 36.1699, -115.1398, "891##", 2),
            _C("New Orleans", "Louisiana", 29.9511, -90.0715, "701##", 1),
        ),
    ),
    Country(
        "Brasil",
        14.5,
        (
            _C("São Paulo", "São Paulo", -23.5505, -46.6333, "01###-###", 10),
            _C("Campinas", "São Paulo", -22.9099, -47.0626, "130##-###", 2),
            _C("Santos", "São Paulo", -23.9608, -46.3336, "110##-###", 1),
            _C("Rio de Janeiro", "Rio de Janeiro", -22.9068, -43.1729, "20###-###", 6),
            _C("Niterói", "Rio de Janeiro", -22.8832, -43.1034, "240##-###", 1),
            _C("Belo Horizonte", "Minas Gerais", -19.9167, -43.9345, "30###-###", 3),
            _C("Uberlândia", "Minas Gerais", -18.9186, -48.2772, "384##-###", 1),
            _C("Salvador", "Bahia", -12.9777, -38.5016, "40###-###", 3),
            _C("Curitiba", "Paraná", -25.4284, -49.2733, "80###-###", 2),
            _C("Porto Alegre", "Rio Grande do Sul", -30.0346, -51.2177, "90###-###", 2),
            _C("Recife", "Pernambuco", -8.0476, -34.8770, "50###-###", 2),
            _C("Fortaleza", "Ceará", -3.7319, -38.5267, "60###-###", 2),
            _C("Brasília", "Distrito Federal", -15.7939, -47.8828, "70###-###", 3),
            _C("Goiânia", "Goiás", -16.6869, -49.2648, "74###-###", 1),
            _C("Belém", "Pará", -1.4558, -48.4902, "66###-###", 1),
            _C("Manaus", "Amazonas", -3.1190, -60.0217, "69###-###", 2),
            _C("Florianópolis", "Santa Catarina", -27.5954, -48.5480, "88###-###", 1),
        ),
    ),
    Country(
        "South Korea",
        5.3,
        (
            _C("Seoul", "Seoul", 37.5665, 126.9780, "0####", 10),
            _C("Busan", "Busan", 35.1796, 129.0756, "48###", 4),
            _C("Incheon", "Incheon", 37.4563, 126.7052, "22###", 3),
            _C("Suwon", "Gyeonggi-do", 37.2636, 127.0286, "16###", 2),
            _C("Seongnam", "Gyeonggi-do", 37.4200, 127.1265, "13###", 2),
            _C("Goyang", "Gyeonggi-do", 37.6584, 126.8320, "10###", 2),
            _C("Daegu", "Daegu", 35.8714, 128.6014, "41###", 3),
            _C("Daejeon", "Daejeon", 36.3504, 127.3845, "34###", 2),
            _C("Gwangju", "Gwangju", 35.1595, 126.8526, "61###", 2),
            _C("Ulsan", "Ulsan", 35.5384, 129.3114, "44###", 1),
        ),
    ),
    Country(
        "France",
        4.7,
        (
            _C("Paris", "Île-de-France", 48.8566, 2.3522, "750##", 10),
            _C("Boulogne-Billancourt", "Île-de-France", 48.8397, 2.2399, "92100", 1),
            _C("Marseille", "Provence-Alpes-Côte d'Azur", 43.2965, 5.3698, "130##", 4),
            _C("Nice", "Provence-Alpes-Côte d'Azur", 43.7102, 7.2620, "060##", 2),
            _C("Lyon", "Auvergne-Rhône-Alpes", 45.7640, 4.8357, "6900#", 3),
            _C("Grenoble", "Auvergne-Rhône-Alpes", 45.1885, 5.7245, "380##", 1),
            _C("Toulouse", "Occitanie", 43.6047, 1.4442, "310##", 2),
            _C("Montpellier", "Occitanie", 43.6108, 3.8767, "340##", 1),
            _C("Bordeaux", "Nouvelle-Aquitaine", 44.8378, -0.5792, "330##", 2),
            _C("Lille", "Hauts-de-France", 50.6292, 3.0573, "590##", 2),
            _C("Nantes", "Pays de la Loire", 47.2184, -1.5536, "440##", 2),
            _C("Strasbourg", "Grand Est", 48.5734, 7.7521, "670##", 1),
            _C("Rennes", "Bretagne", 48.1173, -1.6778, "350##", 1),
        ),
    ),
    Country(
        "United Kingdom",
        4.6,
        (
            _C("London", "England", 51.5074, -0.1278, "SW1A #@@", 12),
            _C("Manchester", "England", 53.4808, -2.2426, "M1 #@@", 3),
            _C("Birmingham", "England", 52.4862, -1.8904, "B1 #@@", 3),
            _C("Liverpool", "England", 53.4084, -2.9916, "L1 #@@", 2),
            _C("Leeds", "England", 53.8008, -1.5491, "LS1 #@@", 2),
            _C("Bristol", "England", 51.4545, -2.5879, "BS1 #@@", 1),
            _C("Sheffield", "England", 53.3811, -1.4701, "S1 #@@", 1),
            _C("Newcastle upon Tyne", "England", 54.9783, -1.6178, "NE1 #@@", 1),
            _C("Glasgow", "Scotland", 55.8642, -4.2518, "G1 #@@", 2),
            _C("Edinburgh", "Scotland", 55.9533, -3.1883, "EH1 #@@", 2),
            _C("Cardiff", "Wales", 51.4816, -3.1791, "CF10 #@@", 1),
            _C("Belfast", "Northern Ireland", 54.5973, -5.9301, "BT1 #@@", 1),
        ),
    ),
    Country(
        "Germany",
        4.2,
        (
            _C("Berlin", "Berlin", 52.5200, 13.4050, "101##", 6),
            _C("München", "Bayern", 48.1351, 11.5820, "803##", 4),
            _C("Nürnberg", "Bayern", 49.4521, 11.0767, "904##", 1),
            _C("Hamburg", "Hamburg", 53.5511, 9.9937, "202##", 3),
            _C("Köln", "Nordrhein-Westfalen", 50.9375, 6.9603, "506##", 3),
            _C("Düsseldorf", "Nordrhein-Westfalen", 51.2277, 6.7735, "402##", 2),
            _C("Dortmund", "Nordrhein-Westfalen", 51.5136, 7.4653, "441##", 1),
            _C("Essen", "Nordrhein-Westfalen", 51.4556, 7.0116, "451##", 1),
            _C("Frankfurt am Main", "Hessen", 50.1109, 8.6821, "603##", 2),
            _C("Stuttgart", "Baden-Württemberg", 48.7758, 9.1829, "701##", 2),
            _C("Leipzig", "Sachsen", 51.3397, 12.3731, "041##", 1),
            _C("Dresden", "Sachsen", 51.0504, 13.7373, "010##", 1),
            _C("Hannover", "Niedersachsen", 52.3759, 9.7320, "301##", 1),
            _C("Bremen", "Bremen", 53.0793, 8.8017, "281##", 1),
        ),
    ),
    Country(
        "Spain",
        4.0,
        (
            _C("Madrid", "Madrid", 40.4168, -3.7038, "280##", 8),
            _C("Barcelona", "Cataluña", 41.3851, 2.1734, "080##", 6),
            _C("Valencia", "Comunidad Valenciana", 39.4699, -0.3763, "460##", 2),
            _C("Alicante", "Comunidad Valenciana", 38.3452, -0.4810, "030##", 1),
            _C("Sevilla", "Andalucía", 37.3891, -5.9845, "410##", 2),
            _C("Málaga", "Andalucía", 36.7213, -4.4214, "290##", 1),
            _C("Zaragoza", "Aragón", 41.6488, -0.8891, "500##", 1),
            _C("Bilbao", "País Vasco", 43.2630, -2.9350, "480##", 1),
            _C("Vigo", "Galicia", 42.2406, -8.7207, "362##", 1),
        ),
    ),
    Country(
        "Japan",
        2.5,
        (
            _C("Tokyo", "Tokyo", 35.6762, 139.6503, "1##-####", 10),
            _C("Osaka", "Osaka", 34.6937, 135.5023, "53#-####", 4),
            _C("Yokohama", "Kanagawa", 35.4437, 139.6380, "22#-####", 3),
            _C("Nagoya", "Aichi", 35.1815, 136.9066, "45#-####", 2),
            _C("Sapporo", "Hokkaido", 43.0618, 141.3545, "06#-####", 2),
            _C("Fukuoka", "Fukuoka", 33.5904, 130.4017, "81#-####", 2),
            _C("Kyoto", "Kyoto", 35.0116, 135.7681, "60#-####", 1),
            _C("Kobe", "Hyogo", 34.6901, 135.1955, "65#-####", 1),
        ),
    ),
    Country(
        "Australia",
        2.2,
        (
            _C("Sydney", "New South Wales", -33.8688, 151.2093, "20##", 6),
            _C("Newcastle", "New South Wales", -32.9283, 151.7817, "2300", 1),
            _C("Melbourne", "Victoria", -37.8136, 144.9631, "30##", 6),
            _C("Brisbane", "Queensland", -27.4698, 153.0251, "40##", 3),
            _C("Gold Coast", "Queensland", -28.0167, 153.4000, "42##", 1),
            _C("Perth", "Western Australia", -31.9505, 115.8605, "60##", 2),
            _C("Adelaide", "South Australia", -34.9285, 138.6007, "50##", 2),
            _C("Canberra", "Australian Capital Territory", -35.2809, 149.1300, "26##", 1),
            _C("Hobart", "Tasmania", -42.8821, 147.3272, "7000", 1),
        ),
    ),
    Country(
        "Belgium",
        1.2,
        (
            _C("Brussels", "Brussels", 50.8503, 4.3517, "10##", 4),
            _C("Antwerpen", "Antwerpen", 51.2194, 4.4025, "20##", 3),
            _C("Gent", "Oost-Vlaanderen", 51.0543, 3.7174, "90##", 2),
            _C("Liège", "Liège", 50.6326, 5.5797, "40##", 2),
            _C("Charleroi", "Hainaut", 50.4108, 4.4446, "60##", 1),
            _C("Brugge", "West-Vlaanderen", 51.2093, 3.2247, "8000", 1),
        ),
    ),
    Country(
        "Poland",
        0.25,
        (
            _C("Warszawa", "Mazowieckie", 52.2297, 21.0122, "00-###", 4),
            _C("Kraków", "Małopolskie", 50.0647, 19.9450, "3#-###", 2),
            _C("Łódź", "Łódzkie", 51.7592, 19.4560, "9#-###", 1),
            _C("Wrocław", "Dolnośląskie", 51.1079, 17.0385, "5#-###", 1),
            _C("Poznań", "Wielkopolskie", 52.4064, 16.9252, "6#-###", 1),
            _C("Gdańsk", "Pomorskie", 54.3520, 18.6466, "80-###", 1),
        ),
    ),
    Country(
        "Colombia",
        0.06,
        (
            _C("Bogotá", "Bogotá", 4.7110, -74.0721, "11####", 4),
            _C("Medellín", "Antioquia", 6.2442, -75.5812, "050###", 2),
            _C("Cali", "Valle del Cauca", 3.4516, -76.5320, "760###", 1),
            _C("Barranquilla", "Atlántico", 10.9685, -74.7813, "080###", 1),
        ),
    ),
    Country(
        "Austria",
        0.05,
        (
            _C("Wien", "Wien", 48.2082, 16.3738, "1##0", 4),
            _C("Graz", "Steiermark", 47.0707, 15.4395, "80##", 1),
            _C("Linz", "Oberösterreich", 48.3069, 14.2858, "40##", 1),
            _C("Salzburg", "Salzburg", 47.8095, 13.0550, "50##", 1),
            _C("Innsbruck", "Tirol", 47.2692, 11.4041, "60##", 1),
        ),
    ),
)

# Department shares of the catalogue; the order matches GENDERS (M shops Men, F Women).
DEPARTMENTS: tuple[tuple[str, float], ...] = (("Men", 45.0), ("Women", 55.0))

# Categories each department sells, with a rough share of that department's catalogue.
DEPARTMENT_CATEGORIES: dict[str, tuple[tuple[str, float], ...]] = {
    "Men": (
        ("Accessories", 6),
        ("Active", 6),
        ("Fashion Hoodies & Sweatshirts", 9),
        ("Jeans", 9),
        ("Outerwear & Coats", 6),
        ("Pants", 6),
        ("Shorts", 7),
        ("Sleep & Lounge", 6),
        ("Socks", 5),
        ("Suits & Sport Coats", 4),
        ("Sweaters", 7),
        ("Swim", 7),
        ("Tops & Tees", 9),
        ("Underwear", 6),
    ),
    "Women": (
        ("Accessories", 5),
        ("Active", 4),
        ("Blazers & Jackets", 3),
        ("Clothing Sets", 0.5),
        ("Dresses", 6),
        ("Fashion Hoodies & Sweatshirts", 4),
        ("Intimates", 9),
        ("Jeans", 5),
        ("Jumpsuits & Rompers", 1),
        ("Leggings", 2),
        ("Maternity", 3),
        ("Outerwear & Coats", 4),
        ("Pants & Capris", 4),
        ("Plus", 3),
        ("Shorts", 4),
        ("Skirts", 2),
        ("Sleep & Lounge", 5),
        ("Socks & Hosiery", 3),
        ("Suits", 1),
        ("Sweaters", 5),
        ("Swim", 6),
        ("Tops & Tees", 6),
    ),
}

# Typical retail price per category in USD; prices scatter log-normally around it.
CATEGORY_PRICES: dict[str, float] = {
    "Accessories": 30.0,
    "Active": 38.0,
    "Blazers & Jackets": 85.0,
    "Clothing Sets": 45.0,
    "Dresses": 68.0,
    "Fashion Hoodies & Sweatshirts": 45.0,
    "Intimates": 24.0,
    "Jeans": 68.0,
    "Jumpsuits & Rompers": 48.0,
    "Leggings": 28.0,
    "Maternity": 42.0,
    "Outerwear & Coats": 120.0,
    "Pants": 55.0,
    "Pants & Capris": 48.0,
    "Plus": 40.0,
    "Shorts": 35.0,
    "Skirts": 42.0,
    "Sleep & Lounge": 34.0,
    "Socks": 14.0,
    "Socks & Hosiery": 15.0,
    "Suits": 150.0,
    "Suits & Sport Coats": 190.0,
    "Sweaters": 62.0,
    "Swim": 44.0,
    "Tops & Tees": 26.0,
    "Underwear": 20.0,
}

# Brands that plausibly sell each category; every brand appears in some category.
CATEGORY_BRANDS: dict[str, tuple[str, ...]] = {
    "Accessories": ("Ray-Ban", "Oakley", "Fossil", "Michael Kors", "Columbia", "Carhartt"),
    "Active": ("Nike", "Adidas", "Under Armour", "Puma", "Champion", "Reebok"),
    "Blazers & Jackets": ("Calvin Klein", "Anne Klein", "Tahari", "Kasper", "Nine West"),
    "Clothing Sets": ("Allegra K", "Betsey Johnson", "Jessica Simpson"),
    "Dresses": (
        "Calvin Klein",
        "Vince Camuto",
        "BCBGMAXAZRIA",
        "Maggy London",
        "Adrianna Papell",
        "Allegra K",
    ),
    "Fashion Hoodies & Sweatshirts": (
        "Champion",
        "Hanes",
        "Hurley",
        "Volcom",
        "Quiksilver",
        "Russell Athletic",
    ),
    "Intimates": ("Calvin Klein", "Maidenform", "Wacoal", "Hanes", "Vanity Fair", "Bali"),
    "Jeans": (
        "Levi's",
        "Wrangler",
        "Lee",
        "Diesel",
        "Lucky Brand",
        "True Religion",
        "7 For All Mankind",
    ),
    "Jumpsuits & Rompers": ("Allegra K", "Billabong", "Roxy", "Free People"),
    "Leggings": ("Hue", "Spanx", "Danskin", "Yelete"),
    "Maternity": ("Motherhood Maternity", "Ingrid & Isabel", "Seraphine", "Isabella Oliver"),
    "Outerwear & Coats": (
        "The North Face",
        "Columbia",
        "Patagonia",
        "Carhartt",
        "London Fog",
        "Calvin Klein",
    ),
    "Pants": ("Dockers", "Haggar", "Carhartt", "Dickies", "Perry Ellis", "Van Heusen"),
    "Pants & Capris": ("Dockers", "Jones New York", "Lee", "Calvin Klein", "Briggs New York"),
    "Plus": ("Woman Within", "Roaman's", "Jessica London", "Just My Size"),
    "Shorts": ("Quiksilver", "Billabong", "Hurley", "Columbia", "Dockers", "Roxy"),
    "Skirts": ("Allegra K", "Calvin Klein", "Anne Klein", "Jones New York"),
    "Sleep & Lounge": (
        "Carole Hochman",
        "Nautica",
        "Calvin Klein",
        "Hanes",
        "Tommy Hilfiger",
        "Jockey",
    ),
    "Socks": ("Gold Toe", "Smartwool", "Hanes", "Fruit of the Loom", "Darn Tough"),
    "Socks & Hosiery": ("Hue", "Hanes", "Smartwool", "Berkshire", "Gold Toe"),
    "Suits": ("Tahari", "Kasper", "Le Suit", "Anne Klein"),
    "Suits & Sport Coats": (
        "Calvin Klein",
        "Kenneth Cole",
        "Perry Ellis",
        "Tommy Hilfiger",
        "IZOD",
        "Van Heusen",
    ),
    "Sweaters": ("Tommy Hilfiger", "Nautica", "IZOD", "Ralph Lauren", "Calvin Klein", "Pendleton"),
    "Swim": ("Speedo", "Billabong", "Roxy", "Quiksilver", "Nautica", "Jantzen"),
    "Tops & Tees": (
        "Hanes",
        "Fruit of the Loom",
        "Tommy Hilfiger",
        "Calvin Klein",
        "Allegra K",
        "Champion",
        "Carhartt",
    ),
    "Underwear": ("Calvin Klein", "Hanes", "Jockey", "Fruit of the Loom", "Tommy John", "2(X)IST"),
}

# Nouns that end a product name, per category ("Levi's Men's Classic Slim Fit Jean").
CATEGORY_ITEMS: dict[str, tuple[str, ...]] = {
    "Accessories": ("Sunglasses", "Leather Belt", "Beanie", "Baseball Cap", "Wallet", "Scarf"),
    "Active": ("Running Tee", "Training Shorts", "Track Jacket", "Performance Tank", "Jogger"),
    "Blazers & Jackets": ("Blazer", "Moto Jacket", "Denim Jacket", "Tweed Jacket"),
    "Clothing Sets": ("Two Piece Set", "Top and Skirt Set", "Lounge Set"),
    "Dresses": ("Wrap Dress", "Maxi Dress", "Sheath Dress", "Shift Dress", "Cocktail Dress"),
    "Fashion Hoodies & Sweatshirts": ("Pullover Hoodie", "Zip Hoodie", "Crewneck Sweatshirt"),
    "Intimates": ("Underwire Bra", "Bralette", "Hipster Panty", "Camisole", "Thong"),
    "Jeans": ("Slim Fit Jean", "Straight Leg Jean", "Bootcut Jean", "Relaxed Fit Jean"),
    "Jumpsuits & Rompers": ("Jumpsuit", "Romper", "Overall"),
    "Leggings": ("Legging", "Capri Legging", "Fleece Lined Legging"),
    "Maternity": ("Maternity Top", "Maternity Jean", "Nursing Tank", "Maternity Dress"),
    "Outerwear & Coats": ("Parka", "Down Jacket", "Rain Jacket", "Wool Coat", "Fleece Jacket"),
    "Pants": ("Chino Pant", "Cargo Pant", "Dress Pant", "Work Pant"),
    "Pants & Capris": ("Capri", "Wide Leg Pant", "Ankle Pant", "Trouser"),
    "Plus": ("Plus Size Tunic", "Plus Size Pant", "Plus Size Cardigan", "Plus Size Dress"),
    "Shorts": ("Board Short", "Cargo Short", "Chino Short", "Denim Short"),
    "Skirts": ("Pencil Skirt", "A-Line Skirt", "Pleated Skirt", "Midi Skirt"),
    "Sleep & Lounge": ("Pajama Set", "Robe", "Lounge Pant", "Sleep Shirt"),
    "Socks": ("Crew Socks 6-Pack", "Ankle Socks", "Dress Socks", "Hiking Socks"),
    "Socks & Hosiery": ("Tights", "No Show Socks", "Knee High Socks", "Pantyhose"),
    "Suits": ("Pant Suit", "Skirt Suit", "Suit Jacket"),
    "Suits & Sport Coats": ("Suit Separate Jacket", "Sport Coat", "Two Button Suit", "Tuxedo"),
    "Sweaters": ("Cardigan", "V-Neck Sweater", "Crewneck Sweater", "Cable Knit Sweater"),
    "Swim": ("Swim Trunk", "Bikini Top", "One Piece Swimsuit", "Rash Guard"),
    "Tops & Tees": ("Crew Neck Tee", "V-Neck Tee", "Polo Shirt", "Henley", "Tank Top"),
    "Underwear": ("Boxer Brief 3-Pack", "Trunk", "Brief", "Boxer"),
}

PRODUCT_STYLES: tuple[str, ...] = (
    "Classic",
    "Essential",
    "Premium",
    "Stretch",
    "Vintage",
    "Lightweight",
    "Everyday",
    "Signature",
    "Modern",
    "Soft",
    "Cotton",
    "Organic Cotton",
    "Slim",
    "Relaxed",
    "Heathered",
    "Striped",
)

ORDER_STATUSES: tuple[tuple[str, float], ...] = (
    ("Complete", 25),
    ("Shipped", 30),
    ("Processing", 20),
    ("Cancelled", 15),
    ("Returned", 10),
)

GENDERS: tuple[str, ...] = ("M", "F")

USER_TRAFFIC_SOURCES: tuple[tuple[str, float], ...] = (
    ("Search", 70),
    ("Organic", 15),
    ("Facebook", 6),
    ("Email", 5),
    ("Display", 4),
)

EVENT_TRAFFIC_SOURCES: tuple[tuple[str, float], ...] = (
    ("Email", 45),
    ("Adwords", 30),
    ("Facebook", 10),
    ("YouTube", 10),
    ("Organic", 5),
)

BROWSERS: tuple[tuple[str, float], ...] = (
    ("Chrome", 50),
    ("Safari", 20),
    ("Firefox", 20),
    ("IE", 5),
    ("Other", 5),
)

EVENT_TYPES: tuple[str, ...] = ("home", "department", "product", "cart", "purchase", "cancel")

EMAIL_DOMAINS: tuple[str, ...] = ("example.com", "example.net", "example.org")

MALE_FIRST_NAMES: tuple[str, ...] = (
    "James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph",
    "Thomas", "Charles", "Christopher", "Daniel", "Matthew", "Anthony", "Mark",
    "Donald", "Steven", "Paul", "Andrew", "Joshua", "Kenneth", "Kevin", "Brian",
    "George", "Timothy", "Ronald", "Jason", "Edward", "Jeffrey", "Ryan", "Jacob",
    "Gary", "Nicholas", "Eric", "Jonathan", "Stephen", "Larry", "Justin", "Scott",
    "Brandon", "Benjamin", "Samuel", "Gregory", "Alexander", "Patrick", "Frank",
    "Raymond", "Jack", "Dennis", "Jerry", "Tyler", "Aaron", "Jose", "Adam", "Nathan",
    "Henry", "Zachary", "Douglas", "Peter", "Kyle", "Noah", "Ethan", "Jeremy",
    "Christian", "Walter", "Keith", "Austin", "Roger", "Terry", "Sean", "Gerald",
    "Carl", "Dylan", "Harold", "Jordan", "Jesse", "Bryan", "Lawrence", "Arthur",
    "Gabriel", "Bruce", "Logan", "Billy", "Joe", "Alan", "Juan", "Elijah", "Willie",
    "Albert", "Wayne", "Randy", "Mason", "Vincent", "Liam", "Roy", "Bobby", "Caleb",
)  # fmt: skip

FEMALE_FIRST_NAMES: tuple[str, ...] = (
    "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan",
    "Jessica", "Sarah", "Karen", "Lisa", "Nancy", "Betty", "Sandra", "Margaret",
    "Ashley", "Kimberly", "Emily", "Donna", "Michelle", "Carol", "Amanda", "Melissa",
    "Deborah", "Stephanie", "Dorothy", "Rebecca", "Sharon", "Laura", "Cynthia",
    "Amy", "Kathleen", "Angela", "Shirley", "Brenda", "Emma", "Anna", "Pamela",
    "Nicole", "Samantha", "Katherine", "Christine", "Helen", "Debra", "Rachel",
    "Carolyn", "Janet", "Maria", "Catherine", "Heather", "Diane", "Olivia", "Julie",
    "Joyce", "Victoria", "Ruth", "Virginia", "Lauren", "Kelly", "Christina", "Joan",
    "Evelyn", "Judith", "Andrea", "Hannah", "Megan", "Cheryl", "Jacqueline",
    "Martha", "Madison", "Teresa", "Gloria", "Sara", "Janice", "Ann", "Kathryn",
    "Abigail", "Sophia", "Frances", "Jean", "Alice", "Judy", "Isabella", "Julia",
    "Grace", "Amber", "Denise", "Danielle", "Marilyn", "Beverly", "Charlotte",
    "Natalie", "Theresa", "Diana", "Brittany", "Doris", "Kayla", "Alexis", "Lori",
)  # fmt: skip

LAST_NAMES: tuple[str, ...] = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
    "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
    "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson",
    "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker",
    "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
    "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell",
    "Carter", "Roberts", "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker",
    "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris", "Morales", "Murphy",
    "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson", "Bailey",
    "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson",
    "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz",
    "Hughes", "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long",
    "Ross", "Foster", "Jimenez", "O'Brien", "Wang", "Li", "Zhang", "Chen", "Liu",
    "Park", "Choi", "Tanaka", "Suzuki", "Silva", "Santos", "Oliveira", "Souza",
    "Schmidt", "Schneider", "Fischer", "Dubois", "Lefebvre", "Fernandez", "Kowalski",
)  # fmt: skip

STREET_NAMES: tuple[str, ...] = (
    "Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Washington", "Lake", "Hill",
    "Park", "Walnut", "Sunset", "Lincoln", "Jackson", "Church", "River", "Highland",
    "Spring", "Chestnut", "Willow", "Franklin", "Harrison", "Madison", "Jefferson",
    "Forest", "Meadow", "Ridge", "Valley", "Mill", "Center", "North", "South",
    "Union", "Cherry", "Laurel", "Bay", "Prospect", "Adams", "Garden", "Mountain",
)  # fmt: skip

STREET_SUFFIXES: tuple[str, ...] = (
    "Street",
    "Avenue",
    "Road",
    "Lane",
    "Drive",
    "Court",
    "Boulevard",
    "Way",
    "Place",
)
