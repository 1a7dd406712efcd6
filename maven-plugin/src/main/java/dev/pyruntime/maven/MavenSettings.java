package dev.pyruntime.maven;

import dev.pyruntime.ProxySettings;
import dev.pyruntime.UserError;
import dev.pyruntime.publish.S3Repository;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * What the goals take from settings.xml, decrypted as Maven decrypts it: the active {@code <proxy>} for downloads and
 * S3, and a {@code <server>}'s access key for S3. As jib's {@code MavenSettingsProxyProvider}, apart from the Mojos so
 * it is tested without Maven running ({@code MavenSettingsTest}).
 */
final class MavenSettings {
    private final Settings settings;
    private final SettingsDecrypter decrypter;

    MavenSettings(Settings settings, SettingsDecrypter decrypter) {
        this.settings = settings;
        this.decrypter = decrypter;
    }

    /**
     * settings.xml's active {@code <proxy>} (the first active one, as Maven's own downloads take it), its password
     * decrypted: source downloads and S3 go through it, except to its {@code nonProxyHosts}. Null without one.
     */
    ProxySettings proxy() throws UserError {
        Proxy active = settings.getActiveProxy();
        if (active == null) {
            return null;
        }
        SettingsDecryptionResult decrypted = decrypter.decrypt(new DefaultSettingsDecryptionRequest(active));
        for (SettingsProblem problem : decrypted.getProblems()) {
            if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
                throw new UserError("settings.xml <proxy> '" + active.getId() + "': cannot decrypt its password: "
                        + problem.getMessage());
            }
        }
        Proxy p = decrypted.getProxy();
        if (p.getHost() == null || p.getHost().isBlank()) {
            throw new UserError("settings.xml <proxy> '" + p.getId() + "' has no <host>; give the proxy's host name");
        }
        String user = p.getUsername() == null || p.getUsername().isBlank() ? null : p.getUsername();
        return new ProxySettings(p.getHost().trim(), p.getPort(), user, user == null ? null : p.getPassword(),
                ProxySettings.splitNonProxyHosts(p.getNonProxyHosts()));
    }

    /** The access key of the settings.xml server {@code serverId}, decrypted; null without a server id. */
    S3Repository.Credentials credentials(String serverId) throws UserError {
        if (serverId == null || serverId.isBlank()) {
            return null;
        }
        Server server = settings.getServer(serverId);
        if (server == null) {
            throw new UserError(Properties.SERVER_ID + " '" + serverId + "': settings.xml has no <server> with that id; "
                    + "add <server><id>" + serverId + "</id><username>ACCESS_KEY_ID</username><password>SECRET</password>"
                    + "</server> to ~/.m2/settings.xml");
        }
        SettingsDecryptionResult decrypted = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        for (SettingsProblem problem : decrypted.getProblems()) {
            if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
                throw new UserError("settings.xml <server> '" + serverId + "': cannot decrypt its password: "
                        + problem.getMessage());
            }
        }
        Server s = decrypted.getServer();
        if (s.getUsername() == null || s.getUsername().isBlank() || s.getPassword() == null || s.getPassword().isBlank()) {
            throw new UserError("settings.xml <server> '" + serverId + "' needs <username> (the access key id) and "
                    + "<password> (the secret access key)");
        }
        return new S3Repository.Credentials(s.getUsername(), s.getPassword());
    }
}
