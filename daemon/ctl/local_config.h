// The local calsyncd configuration, read the way calsyncctl needs it: the main file and its
// conf.d drop-ins merged, but only the sections a command uses are validated. `calsyncctl
// status` needs [master] alone, so a secret that only the service's environment holds (say the
// destination's password = env:...) does not stop it; `calsyncctl test-config` checks everything.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/key_spec.h"
#include "core/registry.h"
#include "daemon/config/issue.h"
#include "daemon/config/raw_config.h"

namespace calsync::ctl {

using config::RawConfig;
using config::RawSection;
using config::RawValue;
using config::readRawConfig;

// Checks the written keys of one section against `schema` as calsyncd does (unknown keys,
// values, required keys), resolves secrets (inline, env:NAME, KEY_file; a relative file
// against the folder of the file that names it), makes relative paths absolute and fills in
// defaults. Problems are appended to `issues`; their text never holds a secret's value.
Settings validateSection(const std::string& section_name, const RawSection& raw, const std::vector<KeySpec>& schema,
                         std::vector<config::Issue>& issues);

// The connector section `section_name` ("source.work" or "destination") as calsyncd builds it,
// data_dir included. Throws configProblem (exit 78) naming file:line for every issue.
ConnectorSpec connectorSpecFromConfig(const RawConfig& raw, const std::string& section_name,
                                      const ConnectorRegistry& registry);

// Where calsyncd keeps the state of connector section `section_name` (an OAuth sign-in, caches):
// [daemon] data_dir plus destination/ or sources/NAME. Throws configProblem when data_dir is bad.
std::string connectorDataDir(const RawConfig& raw, const std::string& section_name);

// "FILE:LINE: [section] key: reason" lines, one per issue.
std::string describeIssues(const std::vector<config::Issue>& issues);

}  // namespace calsync::ctl
