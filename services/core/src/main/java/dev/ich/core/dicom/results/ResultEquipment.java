package dev.ich.core.dicom.results;

/**
 * Who made the result: manufacturer {@value #MANUFACTURER}, the model's name and version, ich's software version.
 * It goes into the Contributing Equipment Sequence (0018,A001), the General and SC Equipment modules and the SR's
 * device observer.
 *
 * @param institution the site running ich, for Institution Name; null leaves it out
 */
public record ResultEquipment(String modelName, String modelVersion, String softwareVersion, String institution) {
    public static final String MANUFACTURER = "ich";

    public ResultEquipment {
        require("modelName", modelName);
        require("modelVersion", modelVersion);
        require("softwareVersion", softwareVersion);
        if (institution != null && institution.isBlank()) institution = null;
    }

    /** "model v3" style, for descriptions a person reads in the PACS series list. */
    public String modelLabel() {
        boolean prefixed = modelVersion.length() > 1 && (modelVersion.charAt(0) == 'v' || modelVersion.charAt(0) == 'V')
                && Character.isDigit(modelVersion.charAt(1));
        return modelName + " " + (prefixed ? modelVersion : "v" + modelVersion);
    }

    private static void require(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("result equipment needs a " + name + ": it identifies the model in the PACS");
        }
    }
}
