"""A Tangsel-like organisation tree for demo data: (code, name, kind, children)."""

KELURAHAN = {
    "CPT": ("Ciputat", ["Cipayung", "Ciputat", "Jombang", "Sawah Baru", "Serua"]),
    "CPTT": ("Ciputat Timur", ["Cempaka Putih", "Cireundeu", "Pisangan", "Rempoa"]),
    "PML": ("Pamulang", ["Bambu Apus", "Benda Baru", "Kedaung", "Pamulang Barat",
                         "Pamulang Timur", "Pondok Benda"]),
    "PDA": ("Pondok Aren", ["Jurang Mangu Barat", "Pondok Aren", "Pondok Betung",
                            "Pondok Karya"]),
    "SRP": ("Serpong", ["Buaran", "Ciater", "Cilenggang", "Rawa Buntu"]),
    "SRPU": ("Serpong Utara", ["Jelupang", "Lengkong Karya", "Pakualam", "Paku Jaya"]),
    "STU": ("Setu", ["Babakan", "Bakti Jaya", "Kademangan", "Setu"]),
}

TREE = [
    ("SETDA", "Sekretariat Daerah", "sekretariat", [
        ("SETDA.UMUM", "Bagian Umum", "unit", []),
        ("SETDA.ORG", "Bagian Organisasi", "unit", []),
        ("SETDA.HKM", "Bagian Hukum", "unit", []),
    ]),
    ("SETWAN", "Sekretariat DPRD", "sekretariat", []),
    ("INSP", "Inspektorat", "inspektorat", []),
    ("DISDIKBUD", "Dinas Pendidikan dan Kebudayaan", "dinas", [
        ("DISDIKBUD.SD", "Bidang Pembinaan Sekolah Dasar", "unit", []),
        ("DISDIKBUD.SMP", "Bidang Pembinaan Sekolah Menengah Pertama", "unit", []),
    ]),
    ("DINKES", "Dinas Kesehatan", "dinas", [
        ("DINKES.PKM-PML", "UPTD Puskesmas Pamulang", "unit", []),
        ("DINKES.PKM-SRP", "UPTD Puskesmas Serpong", "unit", []),
    ]),
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas", [
        ("DISKOMINFO.APTIKA", "Bidang Aplikasi Informatika", "unit", []),
        ("DISKOMINFO.IKP", "Bidang Informasi dan Komunikasi Publik", "unit", []),
    ]),
    ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "dinas", []),
    ("DISHUB", "Dinas Perhubungan", "dinas", []),
    ("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "dinas", []),
    ("DLH", "Dinas Lingkungan Hidup", "dinas", []),
    ("DINSOS", "Dinas Sosial", "dinas", []),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "badan", [
        ("BKPSDM.PSDM", "Bidang Pengembangan Sumber Daya Manusia", "unit", []),
    ]),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "badan", []),
    ("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", "badan", []),
    ("BAPENDA", "Badan Pendapatan Daerah", "badan", []),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", "badan", []),
] + [
    (f"KEC-{code}", f"Kecamatan {name}", "kecamatan", [
        (f"KEC-{code}.{i + 1:02d}", f"Kelurahan {kel}", "kelurahan", [])
        for i, kel in enumerate(kelurahan)
    ])
    for code, (name, kelurahan) in KELURAHAN.items()
]

FIRST_NAMES = [
    "Agus", "Ahmad", "Andi", "Ani", "Budi", "Dewi", "Dian", "Eka", "Fajar", "Fitri",
    "Hendra", "Indah", "Joko", "Kartika", "Lestari", "Made", "Nur", "Putri", "Rahmat",
    "Rina", "Siti", "Sri", "Taufik", "Utami", "Wahyu", "Yanti", "Yusuf", "Zainal",
    "Bambang", "Citra", "Desi", "Endang", "Galih", "Hasanah", "Irfan", "Lina", "Mulyadi",
    "Novi", "Ratna", "Slamet",
]
LAST_NAMES = [
    "Saputra", "Wijaya", "Hidayat", "Lestari", "Kusuma", "Pratama", "Nugroho", "Rahayu",
    "Setiawan", "Susanti", "Hasibuan", "Siregar", "Nasution", "Permana", "Gunawan",
    "Maulana", "Safitri", "Hakim", "Firmansyah", "Anggraini", "Sulaiman", "Wibowo",
    "Purnama", "Ramadhan", "Kurniawan",
]
POSITIONS = {
    "kelurahan": ["Lurah", "Sekretaris Kelurahan", "Kepala Seksi Pelayanan",
                  "Pengadministrasi Umum", "Pengelola Layanan Kependudukan"],
    "kecamatan": ["Camat", "Sekretaris Kecamatan", "Kepala Subbagian Umum dan Kepegawaian",
                  "Analis Pelayanan", "Pengadministrasi Perkantoran"],
    "default": ["Analis Kebijakan", "Pengadministrasi Umum", "Pranata Komputer",
                "Arsiparis", "Analis Sumber Daya Manusia Aparatur", "Bendahara",
                "Pengelola Keuangan", "Kepala Bidang", "Kepala Seksi", "Staf Teknis"],
}
