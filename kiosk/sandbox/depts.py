"""The departments of the seeded catalog (key → code, Chinese name): read by the catalog and
by its English (catalog_en), which therefore do not import each other."""

from __future__ import annotations

DEPTS = {
    "NRP": ("330106-ZRZY", "西湖区自然资源和规划局（不动产登记中心）"),
    "TAX": ("330106-SWJ", "国家税务总局杭州市西湖区税务局"),
    "HOUSING": ("330106-ZJJ", "西湖区住房和城乡建设局（房屋交易管理）"),
    "HEALTH": ("330106-WJJ", "西湖区卫生健康局"),
    "POLICE": ("330106-GAJ", "杭州市公安局西湖区分局"),
    "MEDINS": ("330106-YBJ", "西湖区医疗保障局"),
    "HRSS": ("330106-RSJ", "西湖区人力资源和社会保障局"),
    "GJJ": ("3301-GJJ", "杭州住房公积金管理中心"),
    "SAMR": ("330106-SCJG", "西湖区市场监督管理局"),
    "TRAFFIC": ("330106-JJ", "杭州市公安局交通警察支队西湖大队"),
    "CIVIL": ("330106-MZJ", "西湖区民政局"),
    "DPF": ("330106-CL", "西湖区残疾人联合会"),
}
