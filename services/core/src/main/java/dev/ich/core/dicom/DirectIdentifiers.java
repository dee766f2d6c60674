package dev.ich.core.dicom;

import java.util.Set;

/**
 * Header attributes that name or locate a person (PS3.15 Table E.1-1's names, addresses, telephone numbers, other
 * ids, birth data, the people involved, the institution). The notebooks' metadata row never carries them, whatever
 * ingest stored: with de-identification on they are already gone; with it off (a site's explicit choice) they still
 * stop at the raw object and never reach slices-cleaned, the metadata table, /slices, exploration or a dataset.
 * PatientID is not here: it is the keyed pseudonym datasets split on.
 */
public final class DirectIdentifiers {
    public static final Set<String> KEYWORDS = Set.of("PatientName", "PatientBirthDate", "PatientBirthTime", "PatientAddress",
            "PatientTelephoneNumbers", "OtherPatientIDs", "OtherPatientNames", "PatientBirthName", "PatientMotherBirthName",
            "MilitaryRank", "BranchOfService", "MedicalRecordLocator", "RegionOfResidence", "CountryOfResidence",
            "AccessionNumber", "StudyID", "ReferringPhysicianName", "ReferringPhysicianAddress", "ReferringPhysicianTelephoneNumbers",
            "PerformingPhysicianName", "NameOfPhysiciansReadingStudy", "OperatorsName", "PhysiciansOfRecord", "RequestingPhysician",
            "ScheduledPerformingPhysicianName", "InstitutionName", "InstitutionAddress", "InstitutionalDepartmentName",
            "StationName", "DeviceSerialNumber", "PatientInsurancePlanCodeSequence", "InsurancePlanIdentification",
            "PersonName", "PersonAddress", "PersonTelephoneNumbers", "ResponsiblePerson", "ResponsibleOrganization",
            "AdditionalPatientHistory", "PatientComments", "ImageComments", "StudyComments", "IssuerOfPatientID");

    private DirectIdentifiers() {
    }
}
