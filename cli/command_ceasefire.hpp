#pragma once
/// `frontline ceasefire`: a ceasefire-line proposal checked against the control on the ground.
#include <optional>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "cli/front_inputs.hpp"

namespace frontline::cli {

/// Exit code of `ceasefire` when the proposal fails a hard check (1, 2 or 3).
inline constexpr int kCeasefireFailsExitCode = 3;

/// Options of `frontline ceasefire`.
struct CeasefireOptions {
    FrontInputs inputs;                      ///< store, date, provider, class, borders, front options
    std::string line;                        ///< the proposed line (LineString/MultiLineString file)
    std::string area;                        ///< or the occupying side's proposed control (polygon file)
    std::string regions;                     ///< regions file for the per-region transfer; empty: none
    std::string region_field = "shapeName";  ///< the regions' name field
    std::string places;                      ///< settlements (point layer); empty: none
    std::string place_name_field = "name";   ///< the settlements' name field
    std::string band;                        ///< buffer width on both sides ("5km"); empty: none
    std::string band_occupied;               ///< buffer width on the occupying side
    std::string band_free;                   ///< buffer width on the free side
    std::string history_from;                ///< YYYY-MM-DD: how much of the area between changed hands since
    std::string end_tolerance = "2km";       ///< a loose end this close to the edge counts as on it
    double min_enclave_km2 = 0.1;            ///< smaller parts cut off from their side are counted, not listed, km²
    double spike_angle_deg = 1.0;            ///< a vertex where the line turns back sharper than this is a spike, degrees
    double sample_step_m = 1000.0;           ///< offsets: the lines are sampled this often, m
    std::string output;                      ///< report file (GeoJSON by default); empty: none
    std::string format;                      ///< OGR driver for `output`
    bool json = false;                       ///< one JSON object
};

/// One check and its verdict.
struct CeasefireCheck {
    int number;
    std::string name;
    std::string verdict;  ///< "pass", "fail" or "warn"
    std::string detail;
};

/// A loose end of the proposed line.
struct LooseEnd {
    double lon, lat;
    double distance_m;       ///< geodesic, to the country's edge
    double edge_lon, edge_lat;  ///< the nearest point of the edge
    bool outside;            ///< beyond the edge (the line crosses it)
    bool on_edge;            ///< outside, or within the end tolerance
};

/// A part of a side cut off from the side's main body.
struct EnclaveRow {
    std::string side;  ///< "occupied" or "free"
    double area_m2;
    double lon, lat;   ///< a point inside it
    std::vector<unsigned char> wkb;
};

/// What each side would give up in one region.
struct CededRegion {
    std::string region;
    double ceded_by_free_m2 = 0.0;
    double ceded_by_occupied_m2 = 0.0;
};

/// A transfer polygon: what one side gives up (in one region with --regions).
struct TransferPiece {
    std::string ceded_by;  ///< "free" or "occupied"
    std::string region;
    double area_m2;
    std::vector<unsigned char> wkb;
};

/// A buffer band along the proposal.
struct CeasefireBand {
    std::string side;  ///< "occupied" or "free"
    double width_m;
    double area_m2;
    std::vector<std::vector<unsigned char>> parts_wkb;
    std::vector<double> part_areas_m2;
    bool squeezed;
    double narrowest_m;  ///< the band's narrowest width where the country's edge squeezes it
    double lon, lat;     ///< where
};

/// A settlement and its side now and under the proposal.
struct PlaceRow {
    std::string name;
    double lon, lat;
    std::string side_now;       ///< "occupied", "free" or "outside"
    std::string side_proposed;
    bool changes_side;
    std::vector<std::string> in_bands;  ///< sides of the bands that hold it
    double distance_m;                  ///< geodesic, to the proposal line
};

/// Offsets between the proposal line and the current front (check 7).
struct Offsets {
    double to_front_max_m = 0.0;    ///< from points along the proposal to the front
    double to_front_mean_m = 0.0;
    double from_front_max_m = 0.0;  ///< from points along the front to the proposal
    double from_front_mean_m = 0.0;
};

/// Area between the proposal and the front that changed hands since --history-from (check 8).
struct History {
    std::string from;
    std::string snapshot;
    double between_m2 = 0.0;        ///< the area between the proposal and the front (both transfers)
    double changed_m2 = 0.0;        ///< of it, changed hands from the earlier snapshot to --date
    double gained_m2 = 0.0;         ///< ... taken by the occupying side
    double lost_m2 = 0.0;           ///< ... taken back from it
};

/// What `ceasefire` found.
struct CeasefireReport {
    CeasefireOptions options;
    std::string snapshot;
    std::vector<CeasefireCheck> checks;
    bool hard_fail = false;
    std::vector<LooseEnd> loose_ends;
    std::vector<EnclaveRow> enclaves;
    int small_enclaves = 0;                ///< parts under --min-enclave-km2, not listed
    double small_enclaves_m2 = 0.0;
    bool sides = false;                    ///< the proposal gave two sides (checks 4-8 ran)
    double ceded_by_free_m2 = 0.0;
    double ceded_by_occupied_m2 = 0.0;
    double outside_m2 = 0.0;               ///< --area: proposed area outside the country, left out
    std::optional<std::vector<CededRegion>> regions;
    std::vector<TransferPiece> transfers;  ///< largest first
    std::vector<CeasefireBand> bands;
    std::optional<std::vector<PlaceRow>> places;
    std::optional<Offsets> offsets;
    std::optional<History> history;
    double front_length_m = 0.0;
    double proposal_length_m = 0.0;        ///< the proposal line inside the country (as it separates the sides)
    std::string driver;

    int exit_code() const { return hard_fail ? kCeasefireFailsExitCode : 0; }
};

/// The ceasefire job as a plain function. Throws InputError for bad options and inputs.
CeasefireReport compute_ceasefire(const geo::Context& ctx, const CeasefireOptions& options);

std::string ceasefire_json(const CeasefireReport& report);
std::string ceasefire_table(const CeasefireReport& report);

/// `frontline ceasefire`.
class CeasefireCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override;
    int run(std::ostream& out) override;

private:
    CeasefireOptions m_options;
};

}  // namespace frontline::cli
