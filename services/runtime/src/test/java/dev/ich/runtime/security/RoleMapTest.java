package dev.ich.runtime.security;

import dev.ich.core.contract.Roles;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A site's groups become ich roles; ich-* roles count as they are; ich-admin holds them all; nothing else counts. */
class RoleMapTest {
    private final RoleMap map = RoleMap.parse("ich-uploader=pacs-bridge; ich-curator=ai-curators|radiology-leads;ich-admin=ai-admins");

    @Test
    void groupsMapToTheirRolesAndUnknownGroupsToNothing() {
        assertThat(map.ichRoles(List.of("pacs-bridge", "offline_access"))).containsExactly(Roles.UPLOADER);
        assertThat(map.ichRoles(List.of("radiology-leads"))).containsExactly(Roles.CURATOR);
        assertThat(map.ichRoles(List.of("nurses", "default-roles-radiology"))).isEmpty();
    }

    @Test
    void ichRolesInTheTokenCountAsTheyAreAndOnlyThose() {
        assertThat(map.ichRoles(List.of(Roles.READER, "ich-superuser"))).containsExactly(Roles.READER);
    }

    @Test
    void adminImpliesEveryRole() {
        assertThat(map.ichRoles(List.of("ai-admins"))).containsExactlyInAnyOrderElementsOf(Roles.ALL);
        assertThat(RoleMap.parse("").ichRoles(List.of(Roles.ADMIN))).containsExactlyInAnyOrderElementsOf(Roles.ALL);
    }

    @Test
    void anEntryThatIsNotAnIchRoleIsRefusedWithTheGrammar() {
        assertThatThrownBy(() -> RoleMap.parse("admins=ai-admins")).hasMessageContaining("admins=ai-admins")
                .hasMessageContaining("ich-admin=group-a|group-b");
        assertThatThrownBy(() -> RoleMap.parse("ich-uploader")).hasMessageContaining("ich-uploader");
    }
}
