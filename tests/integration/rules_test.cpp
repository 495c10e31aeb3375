// The consensus rules as seen over the wire: rankings (Schulze, Borda, dots)
// with replaced ballots, private ballots, proposals with tallies, role
// agreements, theme stages, meetings (PROTOCOL.md "Operations", "Rules").
#include "test_support.hpp"

namespace renkei::it {
namespace {

json::object row(const std::string& issue, int rank, int score) {
  return json::object{{"issue", issue}, {"rank", rank}, {"score", score}};
}

class RulesTest : public IntegrationTest {
 protected:
  void SetUp() override {
    IntegrationTest::SetUp();
    yamamoto = join(facilitator);
    const auto invited = members({{"佐藤 恵子", "北広島町"},
                                  {"田中 浩二", "坂町"},
                                  {"渡辺 幸子", "北広島町"},
                                  {"小林 直美", "広島県 健康福祉局", "observer"}});
    sato_c = invited[0];
    tanaka_c = invited[1];
    watanabe_c = invited[2];
    const Credentials& kobayashi_c = invited[3];
    sato = join(sato_c);
    tanaka = join(tanaka_c);
    watanabe = join(watanabe_c);
    kobayashi = join(kobayashi_c);
    everyone = {yamamoto.get(), sato.get(), tanaka.get(), watanabe.get(), kobayashi.get()};
  }

  // Every connection's copy of event `seq`.
  std::vector<const Frame*> copies(std::uint64_t seq) {
    std::vector<const Frame*> out;
    for (Participant* p : everyone) out.push_back(&p->event(seq));
    return out;
  }
  void expect_refused(Participant& p, const std::string& op, json::object args,
                      const std::string& code) {
    SCOPED_TRACE(op + " " + json::serialize(args));
    Frame reply = p.send(op, std::move(args));
    EXPECT_EQ(reply.type(), "error") << reply.text;
    EXPECT_EQ(reply.str("code"), code) << reply.text;
  }

  std::unique_ptr<Participant> yamamoto, sato, tanaka, watanabe, kobayashi;
  Credentials sato_c, tanaka_c, watanabe_c;
  std::vector<Participant*> everyone;
};

TEST_F(RulesTest, SchulzeRoundWithAReplacedBallot) {
  const std::string a = yamamoto->create("issue.post", text_args("退院調整"), "issue");
  const std::string b = sato->create("issue.post", text_args("見守り"), "issue");
  const std::string c = tanaka->create("issue.post", text_args("夜間対応"), "issue");

  const std::uint64_t opened =
      yamamoto->ok("ranking.open", {{"candidates", {a, b, c}}, {"method", "schulze"}});
  const Frame& open_event = sato->event(opened);
  EXPECT_EQ(open_event.str("op"), "ranking.opened");
  const std::string ranking = std::string(open_event.data().at("ranking").as_string());
  EXPECT_EQ(open_event.data().at("candidates"), json::value({a, b, c}));
  EXPECT_EQ(open_event.data().at("method"), json::value("schulze"));

  // The facilitator's first ballot, replaced below; alone it would make
  // a > b > c.
  std::vector<std::uint64_t> ballots;
  ballots.push_back(yamamoto->ok("ranking.ballot", {{"ranking", ranking}, {"order", {a, b, c}}}));
  ballots.push_back(sato->ok("ranking.ballot", {{"ranking", ranking}, {"order", {b, c, a}}}));
  ballots.push_back(tanaka->ok("ranking.ballot", {{"ranking", ranking}, {"order", {a, c}}}));
  ballots.push_back(yamamoto->ok("ranking.ballot", {{"ranking", ranking}, {"order", {c, a, b}}}));

  // Nobody, the voter included, gets the content of a ballot.
  const std::vector<std::string> voters = {yamamoto->id(), sato->id(), tanaka->id(),
                                           yamamoto->id()};
  for (std::size_t i = 0; i < ballots.size(); ++i) {
    for (const Frame* event : copies(ballots[i])) {
      SCOPED_TRACE(event->text);
      EXPECT_EQ(event->str("op"), "ranking.ballot_cast");
      EXPECT_EQ(keys_of(event->data()), (std::set<std::string>{"ranking", "participant"}));
      EXPECT_EQ(event->data().at("ranking"), json::value(ranking));
      EXPECT_EQ(event->data().at("participant"), json::value(voters[i]));
      EXPECT_EQ(event->by(), voters[i]);
      EXPECT_EQ(event->text.find(a, event->text.find("\"data\"")), std::string::npos)
          << "ballot content leaked";
    }
  }
  // Not a candidate, empty, duplicated: bad_request; not a dots ranking.
  expect_refused(*sato, "ranking.ballot", {{"ranking", ranking}, {"order", {a, "x"}}},
                 "bad_request");
  expect_refused(*sato, "ranking.ballot", {{"ranking", ranking}, {"order", json::array{}}},
                 "bad_request");
  expect_refused(*sato, "ranking.ballot", {{"ranking", ranking}, {"order", {a, a}}}, "bad_request");
  expect_refused(*sato, "ranking.ballot", {{"ranking", ranking}, {"dots", {{a, 1}}}},
                 "bad_request");

  // Final ballots: c>a>b, b>c>a, a>c (b unranked). Pairwise a:b 2-1, c:a 2-1,
  // c:b 2-1; winning-votes links a->b, c->a, c->b of 2; c beats a and b, a
  // beats b.
  const std::uint64_t closed = yamamoto->ok("ranking.close", {{"ranking", ranking}});
  for (const Frame* event : copies(closed)) {
    SCOPED_TRACE(event->text);
    EXPECT_EQ(event->str("op"), "ranking.closed");
    EXPECT_EQ(event->data().at("ranking"), json::value(ranking));
    EXPECT_EQ(event->data().at("ballots"), json::value(3));
    EXPECT_EQ(event->data().at("result"),
              json::value(json::array{row(c, 1, 2), row(a, 2, 1), row(b, 3, 0)}));
  }
  expect_refused(*sato, "ranking.ballot", {{"ranking", ranking}, {"order", {a}}}, "conflict");
  expect_refused(*yamamoto, "ranking.close", {{"ranking", ranking}}, "conflict");

  // The record shows the result and the count, never a ballot.
  const json::value record_json = json::parse(record());
  const json::object& r = record_json.at("rankings").at(0).as_object();
  EXPECT_EQ(r.at("id"), json::value(ranking));
  EXPECT_EQ(r.at("result"), json::value(json::array{row(c, 1, 2), row(a, 2, 1), row(b, 3, 0)}));
  EXPECT_EQ(r.at("ballots"), json::value(3));
  EXPECT_EQ(json::serialize(r).find("order"), std::string::npos);
}

TEST_F(RulesTest, SchulzeCycleTiesEveryone) {
  const std::string a = yamamoto->create("issue.post", text_args("A"), "issue");
  const std::string b = yamamoto->create("issue.post", text_args("B"), "issue");
  const std::string c = yamamoto->create("issue.post", text_args("C"), "issue");
  const std::string ranking = yamamoto->create(
      "ranking.open", {{"candidates", {c, a, b}}, {"method", "schulze"}}, "ranking");
  yamamoto->ok("ranking.ballot", {{"ranking", ranking}, {"order", {a, b, c}}});
  sato->ok("ranking.ballot", {{"ranking", ranking}, {"order", {b, c, a}}});
  tanaka->ok("ranking.ballot", {{"ranking", ranking}, {"order", {c, a, b}}});
  const std::uint64_t closed = yamamoto->ok("ranking.close", {{"ranking", ranking}});
  // Every pair 2-1 in a cycle: every strongest path is 2, nobody beats
  // anybody; ties share rank 1 and are ordered by id.
  EXPECT_EQ(sato->event(closed).data().at("result"),
            json::value(json::array{row(a, 1, 0), row(b, 1, 0), row(c, 1, 0)}));
}

TEST_F(RulesTest, BordaWithPartialBallotsAndTiesOrderedByIdBytes) {
  std::vector<std::string> issues;
  for (int i = 1; i <= 10; ++i)
    issues.push_back(
        yamamoto->create("issue.post", text_args("課題 " + std::to_string(i)), "issue"));
  const std::string& i1 = issues[0];
  const std::string& i9 = issues[8];
  const std::string& i10 = issues[9];
  ASSERT_LT(i10, i9) << "ids expected to compare as byte strings: " << i10 << " " << i9;
  const std::string ranking = yamamoto->create(
      "ranking.open", {{"candidates", {i9, i10, i1}}, {"method", "borda"}}, "ranking");
  // n = 3: ranked ones get 2, 1, ...; unranked 0.
  sato->ok("ranking.ballot", {{"ranking", ranking}, {"order", {i1}}});  // i1 2
  sato->ok("ranking.ballot",
           {{"ranking", ranking}, {"order", {i9, i10}}});  // replaced: i9 2, i10 1
  tanaka->ok("ranking.ballot", {{"ranking", ranking}, {"order", {i10, i9, i1}}});  // i10 2, i9 1
  const std::uint64_t closed = yamamoto->ok("ranking.close", {{"ranking", ranking}});
  const Frame& event = kobayashi->event(closed);
  EXPECT_EQ(event.data().at("ballots"), json::value(2));
  EXPECT_EQ(event.data().at("result"),
            json::value(json::array{row(i10, 1, 3), row(i9, 1, 3), row(i1, 3, 0)}));
}

TEST_F(RulesTest, DotsWithinTheBudgetAndOverIt) {
  const std::string a = yamamoto->create("issue.post", text_args("A"), "issue");
  const std::string b = yamamoto->create("issue.post", text_args("B"), "issue");
  const std::string c = yamamoto->create("issue.post", text_args("C"), "issue");
  const std::uint64_t opened =
      yamamoto->ok("ranking.open", {{"candidates", {a, b, c}}, {"method", "dots"}, {"dots", 3}});
  const std::string ranking = std::string(sato->event(opened).data().at("ranking").as_string());
  EXPECT_EQ(sato->event(opened).data().at("dots"), json::value(3));

  const std::string before = record();
  expect_refused(*sato, "ranking.ballot", {{"ranking", ranking}, {"dots", {{a, 2}, {b, 2}}}},
                 "bad_request");
  expect_refused(*sato, "ranking.ballot", {{"ranking", ranking}, {"dots", {{a, 4}}}},
                 "bad_request");
  expect_refused(*sato, "ranking.ballot", {{"ranking", ranking}, {"dots", {{a, -1}, {b, 1}}}},
                 "bad_request");
  expect_refused(*sato, "ranking.ballot", {{"ranking", ranking}, {"dots", {{"x", 1}}}},
                 "bad_request");
  expect_refused(*sato, "ranking.ballot", {{"ranking", ranking}, {"order", {a}}}, "bad_request");
  EXPECT_EQ(record(), before);

  const std::uint64_t cast =
      sato->ok("ranking.ballot", {{"ranking", ranking}, {"dots", {{a, 2}, {b, 1}}}});
  EXPECT_EQ(keys_of(tanaka->event(cast).data()), (std::set<std::string>{"ranking", "participant"}));
  tanaka->ok("ranking.ballot", {{"ranking", ranking}, {"dots", {{b, 3}}}});
  yamamoto->ok("ranking.ballot", {{"ranking", ranking}, {"dots", {{a, 2}}}});
  // Replaces sato's first ballot: a 2, b 3, c 3.
  sato->ok("ranking.ballot", {{"ranking", ranking}, {"dots", {{c, 3}}}});
  const std::uint64_t closed = yamamoto->ok("ranking.close", {{"ranking", ranking}});
  const Frame& event = watanabe->event(closed);
  EXPECT_EQ(event.data().at("ballots"), json::value(3));
  EXPECT_EQ(event.data().at("result"),
            json::value(json::array{row(b, 1, 3), row(c, 1, 3), row(a, 3, 2)}));

  // dots defaults to 3.
  const std::uint64_t second =
      yamamoto->ok("ranking.open", {{"candidates", {a, b}}, {"method", "dots"}});
  EXPECT_EQ(sato->event(second).data().at("dots"), json::value(3));
}

TEST_F(RulesTest, ProposalOutcomesAndTallies) {
  struct Case {
    std::vector<std::pair<Participant*, std::string>> stances;
    const char* outcome;
    json::object tally;
  };
  const std::vector<Case> cases = {
      // sato's disagree is replaced by agree.
      {{{yamamoto.get(), "agree"},
        {sato.get(), "disagree"},
        {tanaka.get(), "abstain"},
        {sato.get(), "agree"}},
       "adopted",
       {{"agree", 2}, {"abstain", 1}, {"disagree", 0}, {"block", 0}}},
      {{{yamamoto.get(), "agree"}, {sato.get(), "block"}, {tanaka.get(), "agree"}},
       "not_adopted",
       {{"agree", 2}, {"abstain", 0}, {"disagree", 0}, {"block", 1}}},
      {{{yamamoto.get(), "agree"}, {sato.get(), "disagree"}},
       "not_adopted",
       {{"agree", 1}, {"abstain", 0}, {"disagree", 1}, {"block", 0}}},
      {{}, "not_adopted", {{"agree", 0}, {"abstain", 0}, {"disagree", 0}, {"block", 0}}},
      {{{watanabe.get(), "agree"}, {tanaka.get(), "abstain"}, {sato.get(), "abstain"}},
       "adopted",
       {{"agree", 1}, {"abstain", 2}, {"disagree", 0}, {"block", 0}}},
  };
  std::string adopted_vision;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE("case " + std::to_string(i));
    const std::string text = "提案 " + std::to_string(i);
    const std::uint64_t opened =
        yamamoto->ok("proposal.open", {{"kind", "vision"}, {"text", text}});
    const Frame& open_event = tanaka->event(opened);
    EXPECT_EQ(open_event.str("op"), "proposal.opened");
    EXPECT_EQ(open_event.data().at("kind"), json::value("vision"));
    EXPECT_EQ(open_event.data().at("text"), json::value(text));
    const std::string proposal = std::string(open_event.data().at("proposal").as_string());
    for (const auto& [who, stance] : cases[i].stances) {
      const std::uint64_t seq = who->ok(
          "proposal.stance", {{"proposal", proposal}, {"stance", stance}, {"reason", "理由"}});
      const Frame& event = kobayashi->event(seq);
      EXPECT_EQ(event.str("op"), "proposal.stance_taken");
      EXPECT_EQ(event.data().at("proposal"), json::value(proposal));
      EXPECT_EQ(event.data().at("stance"), json::value(stance));
      EXPECT_EQ(event.data().at("reason"), json::value("理由"));
    }
    const std::uint64_t closed = yamamoto->ok("proposal.close", {{"proposal", proposal}});
    for (const Frame* event : copies(closed)) {
      EXPECT_EQ(event->str("op"), "proposal.closed");
      EXPECT_EQ(event->data().at("proposal"), json::value(proposal));
      EXPECT_EQ(event->data().at("outcome"), json::value(cases[i].outcome)) << event->text;
      EXPECT_EQ(event->data().at("tally"), json::value(cases[i].tally)) << event->text;
    }
    expect_refused(*sato, "proposal.stance", {{"proposal", proposal}, {"stance", "agree"}},
                   "conflict");
    if (std::string(cases[i].outcome) == "adopted") adopted_vision = proposal;
  }
  // The vision in force is the last adopted one.
  const json::value r = json::parse(record());
  EXPECT_EQ(r.at("proposals").as_array().size(), cases.size());
  EXPECT_EQ(r.at("vision").at("proposal"), json::value(adopted_vision));
}

TEST_F(RulesTest, RoleConsentByTheOwnerOrganisationDecides) {
  const std::uint64_t proposed =
      tanaka->ok("role.propose", {{"title", "退院時の情報共有シートを運用する"},
                                  {"owner_org", "北広島町"},
                                  {"due", "2026-03-31"},
                                  {"theme", "退院支援"}});
  const Frame& proposed_event = kobayashi->event(proposed);
  EXPECT_EQ(proposed_event.str("op"), "role.proposed");
  EXPECT_EQ(proposed_event.data().at("state"), json::value("proposed"));
  EXPECT_EQ(proposed_event.data().at("owner_org"), json::value("北広島町"));
  EXPECT_EQ(proposed_event.data().at("due"), json::value("2026-03-31"));
  EXPECT_EQ(proposed_event.data().at("title"), json::value("退院時の情報共有シートを運用する"));
  const std::string role = std::string(proposed_event.data().at("role").as_string());

  auto consent = [&](Participant& who, bool yes, const char* expected_state) {
    SCOPED_TRACE(who.id() + (yes ? " consents" : " objects"));
    const std::uint64_t seq =
        who.ok("role.consent", {{"role", role}, {"consent", yes}, {"note", "メモ"}});
    for (const Frame* event : copies(seq)) {
      EXPECT_EQ(event->str("op"), "role.consented");
      EXPECT_EQ(event->data().at("role"), json::value(role));
      EXPECT_EQ(event->data().at("consent"), json::value(yes));
      EXPECT_EQ(event->data().at("state"), json::value(expected_state)) << event->text;
    }
  };
  consent(*tanaka, true, "proposed");  // another organisation: recorded only
  consent(*yamamoto, false, "proposed");
  consent(*sato, true, "agreed");  // the owner organisation decides
  consent(*tanaka, false, "agreed");
  consent(*watanabe, false, "declined");  // same organisation, so decisive too
  consent(*sato, true, "agreed");

  // Status: another organisation's member may not; the owner's member and
  // the facilitator may.
  expect_refused(*tanaka, "role.status", {{"role", role}, {"status", "in_progress"}}, "forbidden");
  const std::uint64_t started =
      sato->ok("role.status", {{"role", role}, {"status", "in_progress"}, {"note", "着手"}});
  const Frame& started_event = tanaka->event(started);
  EXPECT_EQ(started_event.str("op"), "role.status_changed");
  EXPECT_EQ(started_event.data().at("role"), json::value(role));
  EXPECT_EQ(started_event.data().at("status"), json::value("in_progress"));
  EXPECT_EQ(started_event.data().at("note"), json::value("着手"));
  yamamoto->ok("role.status", {{"role", role}, {"status", "done"}});
  expect_refused(*sato, "role.status", {{"role", role}, {"status", "finished"}}, "bad_request");

  const json::value r = json::parse(record());
  const json::object& entry = r.at("roles").at(0).as_object();
  EXPECT_EQ(entry.at("state"), json::value("agreed"));
  EXPECT_EQ(entry.at("status"), json::value("done"));
  EXPECT_EQ(entry.at("consents").as_array().size(), 6u);
}

TEST_F(RulesTest, ThemeStages) {
  const std::uint64_t first = yamamoto->ok(
      "theme.set_stage", {{"theme", "退院支援"}, {"stage", 2}, {"reason", "課題を共有した"}});
  const Frame& event = sato->event(first);
  EXPECT_EQ(event.str("op"), "theme.stage_set");
  EXPECT_EQ(event.data().at("theme"), json::value("退院支援"));
  EXPECT_EQ(event.data().at("stage"), json::value(2));
  EXPECT_EQ(event.data().at("reason"), json::value("課題を共有した"));
  yamamoto->ok("theme.set_stage", {{"theme", "退院支援"}, {"stage", 3}, {"reason", "役割を合意"}});
  for (int bad : {0, 5, -1})
    expect_refused(*yamamoto, "theme.set_stage",
                   {{"theme", "退院支援"}, {"stage", bad}, {"reason", "理由"}}, "bad_request");
  // A theme named in issue.post exists too.
  sato->ok("issue.post", {{"text", "見守り"}, {"theme", "見守り"}});

  const json::value r = json::parse(record());
  const json::array& themes = r.at("themes").as_array();
  bool found = false;
  for (const auto& theme : themes) {
    if (theme.at("name") != json::value("退院支援")) continue;
    found = true;
    EXPECT_EQ(theme.at("stage"), json::value(3));
  }
  EXPECT_TRUE(found) << json::serialize(themes);
}

TEST_F(RulesTest, MeetingsStampEvents) {
  const std::uint64_t before = sato->ok("issue.post", text_args("会議前"));
  EXPECT_TRUE(sato->event(before).json.at("meeting").is_null());

  const std::uint64_t started = yamamoto->ok(
      "meeting.start", {{"title", "第3回 地域共生ケア会議"}, {"agenda", "community-care-council"}});
  const Frame& start_event = sato->event(started);
  EXPECT_EQ(start_event.str("op"), "meeting.started");
  const std::string meeting = std::string(start_event.data().at("meeting").as_string());
  EXPECT_EQ(start_event.json.at("meeting"), json::value(meeting));
  EXPECT_EQ(start_event.data().at("title"), json::value("第3回 地域共生ケア会議"));
  EXPECT_FALSE(start_event.data().at("items").as_array().empty());

  expect_refused(*yamamoto, "meeting.start", {{"title", "二重"}}, "conflict");
  const std::uint64_t during = tanaka->ok("issue.post", text_args("会議中"));
  EXPECT_EQ(sato->event(during).json.at("meeting"), json::value(meeting));
  const std::uint64_t advanced = yamamoto->ok("meeting.advance", {{"item", 1}});
  EXPECT_EQ(sato->event(advanced).data().at("item"), json::value(1));
  expect_refused(*yamamoto, "meeting.advance", {{"item", 999}}, "bad_request");
  const std::uint64_t ended = yamamoto->ok("meeting.end");
  EXPECT_EQ(sato->event(ended).str("op"), "meeting.ended");
  EXPECT_EQ(sato->event(ended).json.at("meeting"), json::value(meeting));
  const std::uint64_t after = sato->ok("issue.post", text_args("会議後"));
  EXPECT_TRUE(sato->event(after).json.at("meeting").is_null());
  expect_refused(*yamamoto, "meeting.end", {}, "conflict");
  expect_refused(*yamamoto, "meeting.start", {{"title", "x"}, {"agenda", "no-such-agenda"}},
                 "not_found");
}

TEST_F(RulesTest, IssueMergeAndIndicators) {
  const std::string a = sato->create("issue.post", text_args("A"), "issue");
  const std::string b = tanaka->create("issue.post", text_args("B"), "issue");
  const std::uint64_t merged = yamamoto->ok("issue.merge", {{"from", b}, {"into", a}});
  EXPECT_EQ(sato->event(merged).str("op"), "issue.merged");
  EXPECT_EQ(sato->event(merged).data().at("from"), json::value(b));
  EXPECT_EQ(sato->event(merged).data().at("into"), json::value(a));
  expect_refused(*yamamoto, "issue.merge", {{"from", b}, {"into", a}}, "conflict");
  expect_refused(*yamamoto, "issue.merge", {{"from", a}, {"into", a}}, "bad_request");
  expect_refused(*yamamoto, "ranking.open", {{"candidates", {a, b}}, {"method", "borda"}},
                 "conflict");

  const std::uint64_t defined =
      yamamoto->ok("indicator.define", {{"name", "退院前カンファレンス実施率"},
                                        {"kind", "process"},
                                        {"unit", "%"},
                                        {"target", 80},
                                        {"baseline", 35.5}});
  const Frame& defined_event = sato->event(defined);
  EXPECT_EQ(defined_event.str("op"), "indicator.defined");
  const std::string indicator = std::string(defined_event.data().at("indicator").as_string());
  EXPECT_EQ(defined_event.data().at("kind"), json::value("process"));
  const std::uint64_t reported = sato->ok(
      "indicator.report", {{"indicator", indicator}, {"value", 42.5}, {"period", "2026-04"}});
  const Frame& reported_event = tanaka->event(reported);
  EXPECT_EQ(reported_event.str("op"), "indicator.reported");
  EXPECT_EQ(reported_event.data().at("value").to_number<double>(), 42.5);
  EXPECT_EQ(reported_event.data().at("period"), json::value("2026-04"));
  tanaka->ok("indicator.report",
             {{"indicator", indicator}, {"value", 50}, {"period", "2026-05-31"}});

  const json::value r = json::parse(record());
  const json::object& entry = r.at("indicators").at(0).as_object();
  EXPECT_EQ(entry.at("id"), json::value(indicator));
  ASSERT_EQ(entry.at("reports").as_array().size(), 2u);
  EXPECT_EQ(entry.at("reports").at(0).at("value").to_number<double>(), 42.5);
  EXPECT_EQ(entry.at("reports").at(1).at("period"), json::value("2026-05-31"));
}

}  // namespace
}  // namespace renkei::it
