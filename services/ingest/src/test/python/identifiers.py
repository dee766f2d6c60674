#!/usr/bin/python3
"""Plants identifiers into a DICOM instance, and reports what a de-identified copy still carries.

Used by ingest's de-identification tests through Debian's pydicom, so that the stored object is
judged by a reader that shares no code with PixelMed (which de-identifies it).

  identifiers.py plant IN OUT     writes OUT: IN with identifiers planted at the top level, inside
                                  sequences (two levels deep too) and in private elements; prints
                                  JSON: the planted marker, dates, times and PatientID
  identifiers.py report FILE      prints JSON: every element of FILE, walked recursively
"""
import hashlib
import json
import sys

import pydicom
from pydicom.dataset import Dataset
from pydicom.encaps import generate_pixel_data_frame
from pydicom.sequence import Sequence

# Every planted text carries this marker (any case), so a survivor is found wherever it ends up.
MARKER = "PLANTED"
# Planted dates (and the times beside them): none of these may survive, shifted ones may.
DATES = {"StudyDate": "20190305", "SeriesDate": "20190306", "AcquisitionDate": "20190307",
         "ContentDate": "20190308", "InstanceCreationDate": "20190309"}
TIMES = {"StudyTime": "101112", "SeriesTime": "101213", "AcquisitionTime": "101314",
         "ContentTime": "101415", "InstanceCreationTime": "101516"}
BIRTH_DATE = "19520314"
NESTED_DATE = "20190301"


def plant(src, dst):
    ds = pydicom.dcmread(src)
    ds.PatientName = "Planted^Alice^Marker"
    ds.PatientID = "PLANTED-MRN-0001"
    ds.PatientBirthDate = BIRTH_DATE
    ds.PatientBirthTime = "061500"
    ds.PatientAddress = "PLANTED Street 1, Springfield"
    ds.PatientTelephoneNumbers = "PLANTED-555-0101"
    ds.OtherPatientIDs = "PLANTED-OTHER-ID"
    ds.OtherPatientNames = "Planted^Otto"
    ds.PatientMotherBirthName = "Planted^Mother"
    ds.PatientComments = "PLANTED comment: call Alice at home"
    ds.AdditionalPatientHistory = "PLANTED history"
    ds.PatientAge = "047Y"
    ds.PatientSex = "F"
    ds.PatientWeight = "61"
    ds.AccessionNumber = "PLANTEDACC1"
    ds.StudyID = "PLANTEDSID"
    ds.StudyDescription = "PLANTED study of Alice"
    ds.InstitutionName = "PLANTED General Hospital"
    ds.InstitutionAddress = "PLANTED Hospital Road 9"
    ds.InstitutionalDepartmentName = "PLANTED Radiology"
    ds.ReferringPhysicianName = "Planted^Referrer"
    ds.PerformingPhysicianName = "Planted^Performer"
    ds.OperatorsName = "Planted^Operator"
    ds.NameOfPhysiciansReadingStudy = "Planted^Reader"
    ds.StationName = "PLANTEDSTN"
    ds.DeviceSerialNumber = "PLANTED-SN-42"
    for keyword, value in DATES.items():
        setattr(ds, keyword, value)
    for keyword, value in TIMES.items():
        setattr(ds, keyword, value)
    ds.AcquisitionDateTime = "20190307101314"  # printed by plant() too

    other = Dataset()
    other.PatientID = "PLANTED-OPID-SEQ"
    other.IssuerOfPatientID = "PLANTED Issuer"
    other.TypeOfPatientID = "TEXT"
    ds.OtherPatientIDsSequence = Sequence([other])

    referenced = Dataset()
    referenced.ReferencedSOPClassUID = "1.2.840.10008.3.1.2.3.1"
    referenced.ReferencedSOPInstanceUID = ds.StudyInstanceUID
    ds.ReferencedStudySequence = Sequence([referenced])

    # Two levels deep: RequestAttributesSequence > item > ReferencedStudySequence > item.
    nested = Dataset()
    nested.ReferencedSOPClassUID = "1.2.840.10008.3.1.2.3.1"
    nested.ReferencedSOPInstanceUID = ds.StudyInstanceUID
    nested.PatientName = "Planted^Nested^Deep"
    nested.AccessionNumber = "PLANTEDACC3"
    nested.StudyDate = NESTED_DATE
    request = Dataset()
    request.AccessionNumber = "PLANTEDACC2"
    request.RequestedProcedureID = "PLANTEDRPID"
    request.ScheduledProcedureStepID = "PLANTEDSPSID"
    request.RequestingPhysician = "Planted^Requester"
    request.ReferencedStudySequence = Sequence([nested])
    ds.RequestAttributesSequence = Sequence([request])

    # A sequence the profile keeps (a coded anatomic region) with a name and a private element inside.
    region = Dataset()
    region.CodeValue = "T-A0100"
    region.CodingSchemeDesignator = "SRT"
    region.CodeMeaning = "Brain"
    region.PatientName = "Planted^Inside^Region"
    region_block = region.private_block(0x0031, "PLANTED ITEM CREATOR", create=True)
    region_block.add_new(0x01, "LO", "PLANTED private in item")
    ds.AnatomicRegionSequence = Sequence([region])

    # Private elements: a plain one and a private sequence holding a name.
    block = ds.private_block(0x0029, "PLANTED CREATOR", create=True)
    block.add_new(0x01, "LO", "PLANTED private value")
    inner = Dataset()
    inner.PatientName = "Planted^Private^Item"
    block.add_new(0x02, "SQ", Sequence([inner]))
    ds.save_as(dst, write_like_original=False)
    print(json.dumps({"marker": MARKER, "patientId": "PLANTED-MRN-0001", "dates": DATES, "times": TIMES,
                      "birthDate": BIRTH_DATE, "nestedDate": NESTED_DATE,
                      "acquisitionDateTime": "20190307101314"}))


def value_of(element):
    if element.VR == "SQ":
        return None
    if element.VR in ("OB", "OW", "OF", "OD", "OL", "OV", "UN") or element.tag == 0x7FE00010:
        return {"bytes": len(element.value or b"")}
    value = element.value
    if isinstance(value, (list, tuple, pydicom.multival.MultiValue)):
        return [str(v) for v in value]
    return str(value) if value is not None else ""


def walk(ds, path, out):
    for element in ds:
        where = path + [element.keyword or str(element.tag)]
        out.append({"path": "/".join(where), "tag": "%08X" % element.tag, "keyword": element.keyword,
                    "vr": element.VR, "private": element.tag.is_private, "value": value_of(element)})
        if element.VR == "SQ":
            for i, item in enumerate(element.value):
                walk(item, where + [str(i)], out)


def pixel_digest(ds):
    """SHA-256 of the pixels as stored: the frames' bytes when encapsulated (so an offset table
    written differently does not count as a change), else the value."""
    if ds.file_meta.TransferSyntaxUID.is_compressed:
        frames = generate_pixel_data_frame(ds.PixelData, int(ds.get("NumberOfFrames", 1)))
        return hashlib.sha256(b"".join(frames)).hexdigest()
    return hashlib.sha256(ds.PixelData).hexdigest()


def report(path):
    ds = pydicom.dcmread(path)
    elements = []
    walk(ds, [], elements)
    for e in elements:
        if e["path"] == "PixelData":
            e["value"] = {"sha256": pixel_digest(ds)}
    codes = [item.CodeValue for item in ds.get("DeidentificationMethodCodeSequence", [])]
    print(json.dumps({"elements": elements, "methodCodes": codes,
                      "transferSyntax": str(ds.file_meta.TransferSyntaxUID)}))


if __name__ == "__main__":
    if sys.argv[1] == "plant":
        plant(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "report":
        report(sys.argv[2])
    else:
        sys.exit("usage: identifiers.py plant IN OUT | report FILE")
