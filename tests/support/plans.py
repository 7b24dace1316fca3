"""Interview plans for the shipped questionnaires: answer key -> what the enumerator types."""

from __future__ import annotations

THREE_CITY = {
    "CONSENT": "1", "city": "seoul", "wave": "2012", "district": "seoul_eunpyeong",
    "dong": "녹번동", "DEM01": "2", "DEM02": "35", "DEM03": "4", "DEM04": "3", "DEM05": "1",
    "DEM06": "99", "DEM07": "D", "DEM08": "2",
    "ANX1": "1", "ANX2": "2", "ANX3": "3", "ANX4": "4",
    "FAM1": "4", "FAM2": "3", "FAM3": "2", "FAM4": "1", "FAM5": "98", "FAM6": "2", "FAM7": "3",
    "CITY1": "1", "CITY2": "5", "CITY3": "9", "CITY4": "99",
}
NEIGHBOURHOOD = {
    "CONSENT": "1", "city": "beijing", "wave": "201608", "district": "beijing_chaoyang",
    "dong": "呼家楼街道", "DEM02": "61", "DEM07": "4200", "DEM09": "1",
    "NBR01": "12", "NBR02": "R", "NBR03": "3", "NBR03_OTH": "远亲", "NBR04": "2",
    "PAR1": "1", "PAR2": "2", "PAR3": "98", "CID1": "5", "CID2": "4", "CID4": "99",
    "SC1": "0", "SC3": "150", "SC7": "1", "SC8": "2",
}
RISK = {
    "CONSENT": "1", "city": "seoul", "wave": "201510", "district": "seoul_mapo",
    "dong": "合井洞", "DEM02": "47", "RGS01": "4", "RGS10": "98", "SG2": "3", "MB1": "2",
    "RGM05": "2", "MA4": "99", "GOVCIT1": "9", "GOVCIT2": "5", "GOVCIT3": "1",
}
MISSING_CODES = {"NBR02": 999, "DEM07": 9999998}
