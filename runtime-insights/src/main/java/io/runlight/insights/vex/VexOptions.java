package io.runlight.insights.vex;

import java.net.URI;
import java.net.URISyntaxException;

import static io.runlight.plugin.api.Preconditions.checkArgument;
import static io.runlight.plugin.api.Preconditions.requireNonBlank;
import static java.util.Objects.requireNonNull;

/**
 * How VEX documents are written.
 *
 * <p>Defaults ({@link #DEFAULT}): author {@value #DEFAULT_AUTHOR} and ids under
 * {@value #DEFAULT_ID_BASE} (both on the reserved {@code localhost} domain, so an
 * unconfigured hub never claims to speak for someone else: a hub should set its own),
 * OCI product ids, and statements only for what runtime evidence rules out
 * ({@code not_affected}); in-use and unknown packages are left out.
 *
 * @param author who makes the statements, for example {@code Acme Security <security@acme.example>}
 * @param idBase the absolute IRI that document ids start with; a document's id is
 *        {@code <idBase>/<image digest>/<version>}. A trailing {@code /} is dropped
 * @param productIdForm how the image is named
 * @param stateAffected also state packages in use as {@code affected} (OpenVEX, with an
 *        action statement) or {@code exploitable} (CycloneDX)
 * @param stateUnderInvestigation also state packages whose usage is not known yet as
 *        {@code under_investigation} (OpenVEX) or {@code in_triage} (CycloneDX)
 */
public record VexOptions(String author, String idBase, ProductIdForm productIdForm, boolean stateAffected, boolean stateUnderInvestigation)
{
    public static final String DEFAULT_AUTHOR = "Runlight <runlight@localhost>";
    public static final String DEFAULT_ID_BASE = "https://runlight.localhost/vex";
    public static final VexOptions DEFAULT = new VexOptions(DEFAULT_AUTHOR, DEFAULT_ID_BASE, ProductIdForm.OCI, false, false);

    public VexOptions
    {
        requireNonBlank(author, "author");
        checkArgument(author.chars().noneMatch(Character::isISOControl), "author must not contain control characters");
        requireNonBlank(idBase, "idBase");
        idBase = idBase.strip();
        while (idBase.endsWith("/")) {
            idBase = idBase.substring(0, idBase.length() - 1);
        }
        checkArgument(isAbsoluteIri(idBase), "idBase must be an absolute IRI such as https://hub.example/vex: '" + idBase + "'");
        requireNonNull(productIdForm, "productIdForm is null");
    }

    public VexOptions withAuthor(String newAuthor)
    {
        return new VexOptions(newAuthor, idBase, productIdForm, stateAffected, stateUnderInvestigation);
    }

    public VexOptions withIdBase(String newIdBase)
    {
        return new VexOptions(author, newIdBase, productIdForm, stateAffected, stateUnderInvestigation);
    }

    public VexOptions withProductIdForm(ProductIdForm newForm)
    {
        return new VexOptions(author, idBase, newForm, stateAffected, stateUnderInvestigation);
    }

    public VexOptions withStateAffected(boolean state)
    {
        return new VexOptions(author, idBase, productIdForm, state, stateUnderInvestigation);
    }

    public VexOptions withStateUnderInvestigation(boolean state)
    {
        return new VexOptions(author, idBase, productIdForm, stateAffected, state);
    }

    private static boolean isAbsoluteIri(String text)
    {
        try {
            URI uri = new URI(text);
            return uri.isAbsolute() && !text.contains(" ");
        }
        catch (URISyntaxException e) {
            return false;
        }
    }
}
