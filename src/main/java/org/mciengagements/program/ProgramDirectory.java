package org.mciengagements.program;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Read access to partners, locations and markets. */
@Service
public class ProgramDirectory {

    static final String LOCATION_COLUMNS =
            "id, partner_id, name, country, enrollment, enrollment_reason, enrollment_changed_at, enrollment_changed_by";

    /** The columns {@link #mapLocation} reads, of the location table under {@code alias}. */
    public static String locationColumns(String alias) {
        return alias + "." + LOCATION_COLUMNS.replace(", ", ", " + alias + ".");
    }

    private final JdbcClient jdbc;

    ProgramDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Partner> partner(String partnerId) {
        return jdbc.sql("select id, name from partner where id = ?").param(partnerId)
                .query(Partner.class).optional();
    }

    /** Every partner, by name: vendor staff pick from them. */
    public List<Partner> partners() {
        return jdbc.sql("select id, name from partner order by name, id").query(Partner.class).list();
    }

    public List<Location> locationsOf(String partnerId) {
        return jdbc.sql("select " + LOCATION_COLUMNS + " from location where partner_id = ? order by id")
                .param(partnerId).query(ProgramDirectory::mapLocation).list();
    }

    public Optional<Location> location(String locationId) {
        return jdbc.sql("select " + LOCATION_COLUMNS + " from location where id = ?")
                .param(locationId).query(ProgramDirectory::mapLocation).optional();
    }

    /** Maps a row of {@link #LOCATION_COLUMNS}. */
    public static Location mapLocation(ResultSet rs, int row) throws SQLException {
        Timestamp changedAt = rs.getTimestamp("enrollment_changed_at");
        return new Location(rs.getString("id"), rs.getString("partner_id"), rs.getString("name"),
                rs.getString("country"), Enrollment.valueOf(rs.getString("enrollment")),
                rs.getString("enrollment_reason"), changedAt == null ? null : changedAt.toInstant(),
                rs.getString("enrollment_changed_by"));
    }

    public Market marketOf(String country) {
        return jdbc.sql("select market from market_country where country = ?").param(country)
                .query(String.class).optional().map(Market::valueOf).orElse(Market.C);
    }
}
